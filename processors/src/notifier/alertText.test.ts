import { describe, expect, it } from 'vitest';
import { kindOf } from './alertKinds.ts';
import { alertText, truncate } from './alertText.ts';
import { discordChannel, slackChannel, telegramChannel } from './webhookChannels.ts';
import { alertOf } from './notifierFixtures.ts';

describe('alert text', () => {
  it('says severity, kind, where, the message as the producer rounded it, code, component and UTC time', () => {
    expect(alertText(alertOf(), 'drift', null)).toBe(
      [
        '[CRITICAL] drift: binance/main · BTC/USDT',
        'binance/main position mismatch: BTC/USDT; synthetic fill of 0.015 at 64012.5',
        'POSITION_MISMATCH from reconciler at 2024-05-13T16:04:16.000Z',
      ].join('\n'),
    );
  });

  it('leaves out what the alert does not carry, and says how many repeats were folded into it', () => {
    const alert = alertOf({ code: 'WORKER_DOWN', component: 'supervisor', venue: null, account: null, subject: 'execution-1', message: 'execution-1 exited with code 1' });
    expect(alertText(alert, 'worker down', { count: 3, sinceMs: Date.UTC(2024, 4, 13, 16, 0, 0) }).split('\n')).toEqual([
      '[CRITICAL] worker down: execution-1',
      'execution-1 exited with code 1',
      'WORKER_DOWN from supervisor at 2024-05-13T16:04:16.000Z',
      '(3 more like this since 2024-05-13T16:00:00.000Z were not sent)',
    ]);
    expect(alertText(alertOf({ venue: null, account: null, subject: null }), 'drift', null).split('\n')[0]).toBe('[CRITICAL] drift');
  });

  it('maps the codes producers raise onto the five kinds, and names any other code by itself', () => {
    expect(['STALE_VENUE', 'VENUE_DOWN', 'QUANTITY_MISMATCH', 'ORDER_MISSING_AT_VENUE', 'UNKNOWN_ORDER_AT_VENUE', 'POSITION_MISMATCH', 'BALANCE_MISMATCH', 'KILL_SWITCH', 'WORKER_DOWN', 'BOOK_RESYNC'].map(kindOf)).toEqual([
      'venue down', 'venue down', 'discrepancy', 'discrepancy', 'discrepancy', 'drift', 'drift', 'kill switch', 'worker down', 'book resync',
    ]);
  });

  it('truncates to the limit with a marker, never inside a surrogate pair', () => {
    expect(truncate('short', 10)).toBe('short');
    const cut = truncate('x'.repeat(3_000), 2_000);
    expect(cut).toHaveLength(2_000);
    expect(cut.endsWith('\n… (truncated)')).toBe(true);
    const emoji = truncate(`${'x'.repeat(1_985)}🚨${'y'.repeat(100)}`, 2_000);
    expect(emoji.length).toBeLessThanOrEqual(2_000);
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('channel formats', () => {
  const text = 'a < b & c > d: @everyone look';

  it('Slack: {text} as plain text, with &, < and > escaped so that they show as written', () => {
    const slack = slackChannel('https://hooks.slack.com/services/T0/B0/secret');
    expect(slack.body(text)).toEqual({ text: 'a &lt; b &amp; c &gt; d: @everyone look', mrkdwn: false });
    const long = (slack.body('<'.repeat(50_000)) as { text: string }).text;
    expect(long.length).toBeGreaterThan(39_990);
    expect(long.length).toBeLessThanOrEqual(40_000);
    expect(long).toMatch(/^(&lt;)+\n… \(truncated\)$/);
  });

  it('Discord: {content} with markdown escaped, cut to 2,000 characters, mentions disabled', () => {
    const discord = discordChannel('https://discord.com/api/webhooks/1/token');
    expect(discord.body('[WARNING] *x* STALE_VENUE at 2024-05-13 | > ok')).toEqual({
      content: '\\[WARNING\\] \\*x\\* STALE\\_VENUE at 2024\\-05\\-13 \\| \\> ok',
      allowed_mentions: { parse: [] },
    });
    expect(discord.body(text)).toMatchObject({ content: 'a < b & c \\> d: @everyone look' });
    expect((discord.body('z'.repeat(5_000)) as { content: string }).content).toHaveLength(2_000);
    const escaped = (discord.body('_'.repeat(5_000)) as { content: string }).content;
    expect(escaped.length).toBeGreaterThan(1_990);
    expect(escaped.length).toBeLessThanOrEqual(2_000);
    expect(escaped).toMatch(/^(\\_)+\n… \(truncated\)$/);
  });

  it('Telegram: sendMessage at the configured API URL with chat_id and plain text', () => {
    const telegram = telegramChannel('http://127.0.0.1:9999/tg', '123456:ABC-def', '-100200300');
    expect(telegram.url).toBe('http://127.0.0.1:9999/tg/bot123456:ABC-def/sendMessage');
    expect(telegram.body(text)).toEqual({ chat_id: '-100200300', text, disable_web_page_preview: true });
  });

  it('names a channel by its host only, and blanks every secret part out of a text', () => {
    const slack = slackChannel('https://hooks.slack.com/services/T0/B0/secret');
    expect(slack.shownAs).toBe('slack (hooks.slack.com)');
    expect(slack.redact('POST https://hooks.slack.com/services/T0/B0/secret failed; path /services/T0/B0/secret')).toBe('POST [redacted] failed; path [redacted]');
    const telegram = telegramChannel('https://api.telegram.org', '123456:ABC-def', '42');
    expect(telegram.shownAs).toBe('telegram (api.telegram.org)');
    expect(telegram.redact('bad token 123456:ABC-def')).toBe('bad token [redacted]');
  });
});
