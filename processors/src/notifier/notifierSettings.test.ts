import { describe, expect, it } from 'vitest';
import { notifierSettings } from './notifierSettings.ts';

const SLACK = 'https://hooks.slack.com/services/T0/B0/slack-secret';

describe('notifier settings', () => {
  it('builds each channel that is set, with the defaults', () => {
    const settings = notifierSettings({
      NOTIFY_SLACK_WEBHOOK_URL: SLACK,
      NOTIFY_DISCORD_WEBHOOK_URL: 'https://discord.com/api/webhooks/1/discord-secret',
      NOTIFY_TELEGRAM_BOT_TOKEN: '123456:ABC-def',
      NOTIFY_TELEGRAM_CHAT_ID: '-100200300',
    });
    expect(settings.channels.map(({ shownAs }) => shownAs)).toEqual(['slack (hooks.slack.com)', 'discord (discord.com)', 'telegram (api.telegram.org)']);
    expect(settings.channels[2]!.url).toBe('https://api.telegram.org/bot123456:ABC-def/sendMessage');
    expect(settings).toMatchObject({ dedupWindowMs: 300_000, ratePerMinute: 20, maxAgeMs: 3_600_000 });
  });

  it('takes the Telegram API URL, the window and the rate from the environment', () => {
    const settings = notifierSettings({
      NOTIFY_TELEGRAM_BOT_TOKEN: '1:x',
      NOTIFY_TELEGRAM_CHAT_ID: '@desk_alerts',
      NOTIFY_TELEGRAM_API_URL: 'http://127.0.0.1:8081/',
      NOTIFY_DEDUP_WINDOW_MS: '1000',
      NOTIFY_RATE_LIMIT_PER_MINUTE: '5',
    });
    expect(settings.channels[0]!.url).toBe('http://127.0.0.1:8081/bot1:x/sendMessage');
    expect(settings).toMatchObject({ dedupWindowMs: 1_000, ratePerMinute: 5 });
  });

  it('refuses to start with no channel', () => {
    expect(() => notifierSettings({})).toThrow(
      'NOTIFY_SLACK_WEBHOOK_URL, NOTIFY_DISCORD_WEBHOOK_URL or NOTIFY_TELEGRAM_BOT_TOKEN: expected at least one channel to notify, got "none"',
    );
  });

  it('names a malformed setting in one line, without repeating a secret', () => {
    const refusal = (env: Record<string, string>) => {
      try {
        notifierSettings(env);
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
      return 'accepted';
    };
    expect(refusal({ NOTIFY_SLACK_WEBHOOK_URL: 'hooks.slack.com/services/slack-secret' })).toBe(
      'SettingError: NOTIFY_SLACK_WEBHOOK_URL: expected an https URL (http only to 127.0.0.1 or localhost), got "[redacted]"',
    );
    // Plain http to another host would show the token to the network.
    expect(refusal({ NOTIFY_DISCORD_WEBHOOK_URL: 'http://discord.com/api/webhooks/1/discord-secret' })).toMatch(/^SettingError: NOTIFY_DISCORD_WEBHOOK_URL: .*"\[redacted\]"$/);
    expect(refusal({ NOTIFY_TELEGRAM_BOT_TOKEN: 'not a token secret' })).toMatch(/^SettingError: NOTIFY_TELEGRAM_BOT_TOKEN: .*"\[redacted\]"$/);
    expect(refusal({ NOTIFY_TELEGRAM_BOT_TOKEN: '1:x' })).toMatch(/^SettingError: NOTIFY_TELEGRAM_CHAT_ID: expected a chat id/);
    expect(refusal({ NOTIFY_TELEGRAM_BOT_TOKEN: '1:x', NOTIFY_TELEGRAM_CHAT_ID: '42', NOTIFY_TELEGRAM_API_URL: 'ftp://x' })).toBe(
      'SettingError: NOTIFY_TELEGRAM_API_URL: expected an https URL (http only to 127.0.0.1 or localhost), got "ftp://x"',
    );
    expect(refusal({ NOTIFY_SLACK_WEBHOOK_URL: SLACK, NOTIFY_RATE_LIMIT_PER_MINUTE: '0' })).toBe('SettingError: NOTIFY_RATE_LIMIT_PER_MINUTE: expected a positive integer, got "0"');
  });
});
