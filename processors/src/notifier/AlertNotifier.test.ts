import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '@crossvenue/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertNotifier } from './AlertNotifier.ts';
import { discordChannel, slackChannel, telegramChannel, type WebhookChannel } from './webhookChannels.ts';
import { RETRY_DELAYS_MS } from './WebhookSender.ts';
import { alertOf, receivedText, webhookReceiver, type WebhookReceiver } from './notifierFixtures.ts';

const SLACK_PATH = '/slack/services/T0/B0/slack-secret';
const DISCORD_PATH = '/discord/api/webhooks/1/discord-secret';
const TOKEN = '123456:telegram-secret';

/** A port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('AlertNotifier against a local HTTP receiver', () => {
  let receiver: WebhookReceiver;
  let logs: string[];
  let delays: number[];
  let nowMs: number;

  const notifier = (channels: WebhookChannel[], ratePerMinute = 20) => {
    logs = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => void (logs.push(String(chunk)), done()) });
    return new AlertNotifier({
      channels,
      dedupWindowMs: 300_000,
      ratePerMinute,
      maxAgeMs: 3_600_000,
      logger: createLogger('notifier-test', { destination, level: 'debug' }),
      now: () => nowMs,
      sleep: async (ms) => void delays.push(ms),
    });
  };
  const allChannels = () => [
    slackChannel(`${receiver.url}${SLACK_PATH}`),
    discordChannel(`${receiver.url}${DISCORD_PATH}`),
    telegramChannel(`${receiver.url}/telegram`, TOKEN, '-100200300'),
  ];
  const on = (prefix: string) => receiver.received.filter(({ path }) => path.startsWith(prefix));

  beforeEach(async () => {
    receiver = await webhookReceiver();
    delays = [];
    nowMs = Date.UTC(2024, 4, 13, 16, 5, 0);
  });
  afterEach(() => receiver.close());

  it('posts each alert once to Slack, Discord and Telegram in their formats', async () => {
    const n = notifier(allChannels());
    n.notify(alertOf());
    await n.idle();
    expect(receiver.received.map(({ path }) => path).sort()).toEqual([DISCORD_PATH, SLACK_PATH, `/telegram/bot${TOKEN}/sendMessage`]);
    const [[slack], [discord], [telegram]] = [on('/slack'), on('/discord'), on('/telegram')];
    expect(slack!.body).toEqual({ text: expect.stringMatching(/^\[CRITICAL\] drift: binance\/main · BTC\/USDT\n/), mrkdwn: false });
    expect(discord!.body).toEqual({ content: expect.stringMatching(/^\\\[CRITICAL\\\] drift: binance\/main · BTC\/USDT\n/), allowed_mentions: { parse: [] } });
    expect(telegram!.body).toMatchObject({ chat_id: '-100200300', text: receivedText(slack!) });
  });

  it('says a folded repeat in the next message, and a redelivered alert never', async () => {
    const n = notifier([slackChannel(`${receiver.url}${SLACK_PATH}`)]);
    n.notify(alertOf({ eventId: 'x1' }));
    n.notify(alertOf({ eventId: 'x1' }));
    nowMs += 60_000;
    n.notify(alertOf({ eventId: 'x2' }));
    nowMs += 300_000;
    n.notify(alertOf({ eventId: 'x3' }));
    await n.idle();
    expect(receiver.received.map((message) => receivedText(message).split('\n').at(-1))).toEqual([
      'POSITION_MISMATCH from reconciler at 2024-05-13T16:04:16.000Z',
      '(1 more like this since 2024-05-13T16:05:00.000Z were not sent)',
    ]);
    expect(n.stats()).toMatchObject({ redelivered: 1, folded: 1 });
  });

  it('holds back what is beyond the rate limit and sends the summary when it lifts, on a tick', async () => {
    const n = notifier([slackChannel(`${receiver.url}${SLACK_PATH}`)], 2);
    for (const subject of ['A', 'B', 'C', 'D']) n.notify(alertOf({ eventId: subject, subject }));
    nowMs += 60_000;
    n.tick();
    await n.idle();
    expect(receiver.received.map((message) => receivedText(message).split('\n')[0])).toEqual([
      '[CRITICAL] drift: binance/main · A',
      '[CRITICAL] drift: binance/main · B',
      '[WARNING] rate limit: 2 alerts not sent (2 drift)',
    ]);
    expect(n.stats().channels.slack).toMatchObject({ sent: 3, rateLimited: 2 });
  });

  it('retries a failing channel with backoff while the others go on, and honours a 429 Retry-After', async () => {
    const n = notifier(allChannels());
    receiver.failNext('/slack', 503, 502);
    receiver.failNext('/discord', 429);
    n.notify(alertOf());
    await n.idle();
    expect(on('/slack')).toHaveLength(1);
    expect(on('/discord')).toHaveLength(1);
    expect(on('/telegram')).toHaveLength(1);
    // Slack's two 5xx wait the first two backoff delays; Discord's 429 waits the 2 s it was told.
    expect(delays.sort((a, b) => a - b)).toEqual([RETRY_DELAYS_MS[0]!, 2_000, RETRY_DELAYS_MS[1]!].sort((a, b) => a - b));
    expect(n.stats().channels).toMatchObject({ slack: { sent: 1, failed: 0, retries: 2 }, discord: { sent: 1, retries: 1 }, telegram: { sent: 1, retries: 0 } });
  });

  it('gives up on a channel that refuses connections after its retries, logs it without the secret, and keeps sending to the others', async () => {
    const port = await closedPort();
    const n = notifier([slackChannel(`http://127.0.0.1:${port}${SLACK_PATH}`), telegramChannel(`${receiver.url}/telegram`, TOKEN, '42')]);
    n.notify(alertOf({ eventId: 'r1', subject: 'A' }));
    n.notify(alertOf({ eventId: 'r2', subject: 'B' }));
    await n.idle();
    expect(on('/telegram')).toHaveLength(2);
    expect(n.stats().channels.slack).toMatchObject({ sent: 0, failed: 2, retries: 2 * RETRY_DELAYS_MS.length });
    const errors = logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter(({ level }) => level >= 50);
    expect(errors).toHaveLength(2);
    expect(errors[0]!.msg).toMatch(new RegExp(`^slack \\(127\\.0\\.0\\.1:${port}\\): message not sent: fetch failed: connect ECONNREFUSED`));
    expect(logs.join('')).not.toMatch(/slack-secret|telegram-secret/);
  });

  it('does not retry a refusal that will not pass (a revoked webhook), and says why', async () => {
    const n = notifier([discordChannel(`${receiver.url}${DISCORD_PATH}`)]);
    receiver.failNext('/discord', 404);
    n.notify(alertOf({ eventId: 'g1', subject: 'A' }));
    n.notify(alertOf({ eventId: 'g2', subject: 'B' }));
    await n.idle();
    expect(delays).toEqual([]);
    expect(on('/discord').map((message) => receivedText(message).split('\n')[0])).toEqual(['\\[CRITICAL\\] drift: binance/main · B']);
    expect(logs.some((line) => line.includes('message not sent: HTTP 404 failing with 404'))).toBe(true);
  });

  it('gives what is queued one last attempt on close, without retries', async () => {
    const n = notifier([slackChannel(`${receiver.url}${SLACK_PATH}`)]);
    receiver.failNext('/slack', 503, 503);
    n.notify(alertOf({ eventId: 'c1', subject: 'A' }));
    n.notify(alertOf({ eventId: 'c2', subject: 'B' }));
    await n.close();
    expect(delays).toEqual([]);
    expect(n.stats().channels.slack).toMatchObject({ sent: 0, failed: 2 });
  });

  it('does not send an alert older than maxAgeMs: history read at a first start', async () => {
    const n = notifier([slackChannel(`${receiver.url}${SLACK_PATH}`)]);
    n.notify(alertOf({ raisedAtMs: nowMs - 3_600_001 }));
    await n.idle();
    expect(receiver.received).toEqual([]);
    expect(n.stats().tooOld).toBe(1);
  });
});
