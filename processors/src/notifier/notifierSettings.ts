import { SettingError, settings } from '@crossvenue/runtime';
import type { NotifierPolicy } from './AlertNotifier.ts';
import { discordChannel, slackChannel, telegramChannel, type WebhookChannel } from './webhookChannels.ts';

export interface NotifierSettings extends NotifierPolicy {
  channels: WebhookChannel[];
}

type Env = Record<string, string | undefined>;

/**
 * The notifier's channels and policy from the environment. At least one channel; each URL is
 * checked at start. The webhook URLs and the bot token are secrets: a bad one is refused without
 * repeating it.
 */
export function notifierSettings(env: Env): NotifierSettings {
  const channels: WebhookChannel[] = [];
  const slack = postUrl(env, 'NOTIFY_SLACK_WEBHOOK_URL', { secret: true });
  if (slack) channels.push(slackChannel(slack));
  const discord = postUrl(env, 'NOTIFY_DISCORD_WEBHOOK_URL', { secret: true });
  if (discord) channels.push(discordChannel(discord));
  const telegram = telegramSettings(env);
  if (telegram) channels.push(telegramChannel(telegram.apiUrl, telegram.token, telegram.chatId));
  if (channels.length === 0) {
    throw new SettingError('NOTIFY_SLACK_WEBHOOK_URL, NOTIFY_DISCORD_WEBHOOK_URL or NOTIFY_TELEGRAM_BOT_TOKEN', 'at least one channel to notify', 'none');
  }
  return {
    channels,
    dedupWindowMs: settings.positiveInteger('NOTIFY_DEDUP_WINDOW_MS', 5 * 60_000, env),
    ratePerMinute: settings.positiveInteger('NOTIFY_RATE_LIMIT_PER_MINUTE', 20, env),
    maxAgeMs: settings.positiveInteger('NOTIFY_MAX_AGE_MS', 60 * 60_000, env),
  };
}

function telegramSettings(env: Env): { apiUrl: string; token: string; chatId: string } | null {
  const token = env.NOTIFY_TELEGRAM_BOT_TOKEN?.trim() ?? '';
  const chatId = env.NOTIFY_TELEGRAM_CHAT_ID?.trim() ?? '';
  if (!token && !chatId) return null;
  // https://core.telegram.org/bots/api#authorizing-your-bot: "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
  if (!/^\d+:[\w-]+$/.test(token)) throw new SettingError('NOTIFY_TELEGRAM_BOT_TOKEN', 'a bot token such as 123456:ABC-DEF1234gh (set with NOTIFY_TELEGRAM_CHAT_ID)', token ? '[redacted]' : '');
  // A chat's numeric id (groups and channels are negative) or a public channel's @username.
  if (!/^-?\d+$|^@\w{5,}$/.test(chatId)) throw new SettingError('NOTIFY_TELEGRAM_CHAT_ID', 'a chat id such as -1001234567890 or @channelname (set with NOTIFY_TELEGRAM_BOT_TOKEN)', chatId);
  const apiUrl = (postUrl(env, 'NOTIFY_TELEGRAM_API_URL', { secret: false }) ?? 'https://api.telegram.org').replace(/\/+$/, '');
  return { apiUrl, token, chatId };
}

/**
 * A URL to post to: https, or http to this host only (a local receiver), since the URL holds the
 * secret (a webhook's token, the bot token) and plain http would show it to the network.
 */
function postUrl(env: Env, key: string, { secret }: { secret: boolean }): string | null {
  const raw = env[key]?.trim();
  if (!raw) return null;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  const loopback = url && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    throw new SettingError(key, 'an https URL (http only to 127.0.0.1 or localhost)', secret ? '[redacted]' : raw);
  }
  return raw;
}
