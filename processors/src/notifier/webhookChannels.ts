import { fit } from './alertText.ts';

/**
 * One place alerts are posted to. `url` holds a secret (Slack and Discord webhook URLs carry
 * their token in the path, Telegram's bot token is part of its URL): it is used to post and
 * nothing else. Logs name the channel by `shownAs`, and any error text passes through `redact`.
 */
export interface WebhookChannel {
  name: 'slack' | 'discord' | 'telegram';
  url: string;
  /** The channel and its host, e.g. "slack (hooks.slack.com)": safe to log. */
  shownAs: string;
  /** The JSON body that posts `text`. */
  body(text: string): unknown;
  /** Blanks out every secret part of the URL in `text` (an error message, a response body). */
  redact(text: string): string;
}

/** Slack drops text beyond 40,000 characters; we cut it ourselves and say so. */
const SLACK_LIMIT = 40_000;
/** Discord refuses content longer than 2,000 characters. */
const DISCORD_LIMIT = 2_000;
/** Telegram refuses a sendMessage text longer than 4,096 characters. */
const TELEGRAM_LIMIT = 4_096;

/** A Slack incoming webhook: https://api.slack.com/messaging/webhooks */
export function slackChannel(url: string): WebhookChannel {
  return {
    ...described('slack', url, [new URL(url).pathname]),
    // Slack reads &, < and > as markup (links, mentions) even with mrkdwn off; escaped, the text
    // shows as written. https://api.slack.com/reference/surfaces/formatting#escaping
    body: (text) => ({ text: fit(text, SLACK_LIMIT, (cut) => cut.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')), mrkdwn: false }),
  };
}

/** A Discord webhook: https://discord.com/developers/docs/resources/webhook#execute-webhook */
export function discordChannel(url: string): WebhookChannel {
  return {
    ...described('discord', url, [new URL(url).pathname]),
    // Markdown characters are escaped so the text shows as written, and an alert that quotes
    // "@everyone" or a user id pings no one. https://discord.com/developers/docs/reference#message-formatting
    body: (text) => ({ content: fit(text, DISCORD_LIMIT, (cut) => cut.replace(/[\\*_~`|>#[\]-]/g, '\\$&')), allowed_mentions: { parse: [] } }),
  };
}

/**
 * Telegram's Bot API sendMessage: https://core.telegram.org/bots/api#sendmessage. Plain text (no
 * parse_mode), so nothing in an alert needs escaping. `apiUrl` is https://api.telegram.org in
 * production; a test points it at a local receiver.
 */
export function telegramChannel(apiUrl: string, token: string, chatId: string): WebhookChannel {
  return {
    ...described('telegram', `${apiUrl}/bot${token}/sendMessage`, [token]),
    body: (text) => ({ chat_id: chatId, text: fit(text, TELEGRAM_LIMIT), disable_web_page_preview: true }),
  };
}

function described(name: WebhookChannel['name'], url: string, secrets: string[]): Omit<WebhookChannel, 'body'> {
  const parts = [url, ...secrets].filter((secret) => secret.length > 1);
  return {
    name,
    url,
    shownAs: `${name} (${new URL(url).host})`,
    redact: (text) => parts.reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text),
  };
}
