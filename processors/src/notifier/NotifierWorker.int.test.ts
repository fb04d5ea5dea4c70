import { randomUUID } from 'node:crypto';
import { createLogger, kafkaMessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { TOPICS, type Alert } from '@crossvenue/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killSwitchAlert } from '../execution/killSwitchAlert.ts';
import { killSwitch } from '../risk/riskFixtures.ts';
import { notifierSettings } from './notifierSettings.ts';
import { NotifierWorker } from './NotifierWorker.ts';
import { receivedText, webhookReceiver, type WebhookReceiver } from './notifierFixtures.ts';

const CHANNELS = ['/slack', '/discord', '/telegram'];
const KINDS = ['venue down', 'discrepancy', 'drift', 'kill switch', 'worker down'];

/** One alert of each kind as its producer raises it (the reconciler, the execution worker, a supervisor). */
function alertsOfEachKind(nowMs: number): Alert[] {
  const reconciler = { component: 'reconciler', venue: 'binance', account: 'main', raisedAtMs: nowMs } as const;
  return [
    { ...reconciler, eventId: `recon:stale:binance|main:${nowMs}:alert`, severity: 'CRITICAL', code: 'STALE_VENUE', subject: null, message: 'binance/main: no snapshot for 65000 ms; not reconciled until snapshots resume' },
    { ...reconciler, eventId: `recon:snap-1:ORDER_MISSING_AT_VENUE:cv1:alert`, severity: 'WARNING', code: 'ORDER_MISSING_AT_VENUE', subject: 'cv1', message: 'binance/main order missing at venue: cv1; order marked CANCELED' },
    { ...reconciler, eventId: `recon:snap-1:POSITION_MISMATCH:BTC/USDT:alert`, severity: 'CRITICAL', code: 'POSITION_MISMATCH', subject: 'BTC/USDT', message: 'binance/main position mismatch: BTC/USDT; synthetic fill of 0.015 at 64012.5' },
    killSwitchAlert(killSwitch({ eventId: `control:${randomUUID()}`, issuedBy: 'alice', reason: 'drawdown' }), nowMs),
    { eventId: `supervisor:execution-1:exit:${nowMs}`, severity: 'CRITICAL', code: 'WORKER_DOWN', component: 'supervisor', venue: null, account: null, subject: 'execution-1', message: 'execution-1 exited with code 1; restart 1 in 1000 ms', raisedAtMs: nowMs },
  ];
}

describe('notifier worker on Kafka against a local HTTP receiver', () => {
  const logger = createLogger('notifier-test', { level: 'warn' });
  // Its own topics and consumer group, beside whatever else runs on this broker.
  const messages = kafkaMessageBus('notifier-test', logger, { namespace: `notifier-${randomUUID().slice(0, 8)}.` });
  let receiver: WebhookReceiver;
  let worker: NotifierWorker;

  beforeAll(async () => {
    receiver = await webhookReceiver();
    await messages.prepare([TOPICS.alerts]);
    const settings = notifierSettings({
      NOTIFY_SLACK_WEBHOOK_URL: `${receiver.url}/slack/services/T0/B0/slack-secret`,
      NOTIFY_DISCORD_WEBHOOK_URL: `${receiver.url}/discord/api/webhooks/1/discord-secret`,
      NOTIFY_TELEGRAM_BOT_TOKEN: '123456:telegram-secret',
      NOTIFY_TELEGRAM_CHAT_ID: '-100200300',
      NOTIFY_TELEGRAM_API_URL: `${receiver.url}/telegram`,
    });
    worker = new NotifierWorker(messages, settings, logger);
    await worker.start();
  });

  afterAll(async () => {
    await worker?.stop();
    await messages.bus.close();
    await receiver?.close();
  });

  it('sends exactly one message per alert kind to each channel: a repeat is folded, a redelivery dropped', async () => {
    const alerts = alertsOfEachKind(Date.now());
    const [stale, , drift] = alerts;
    const repeat = { ...drift!, eventId: 'recon:snap-2:POSITION_MISMATCH:BTC/USDT:alert', message: 'binance/main position mismatch: BTC/USDT; synthetic fill of 0.01 at 64020' };
    await messages.publish(TOPICS.alerts, [...alerts, repeat]);
    // The same record again, as Kafka may deliver it after a producer retry or a rebalance.
    await messages.publish(TOPICS.alerts, [stale!]);

    await waitFor('every alert read', () => worker.notifier.stats().redelivered === 1 && worker.notifier.stats().folded === 1, 30_000);
    await worker.notifier.idle();

    for (const channel of CHANNELS) {
      const firstLines = receiver.received.filter(({ path }) => path.startsWith(channel)).map((message) => receivedText(message).split('\n')[0]!);
      const kinds = firstLines.map((line) => KINDS.find((kind) => line.includes(`] ${kind}`)));
      expect(kinds.sort(), `${channel}: ${firstLines.join(' | ')}`).toEqual([...KINDS].sort());
    }
    const slack = receiver.received.filter(({ path }) => path.startsWith('/slack')).map(receivedText);
    expect(slack).toContain(
      [
        '[CRITICAL] kill switch: global',
        'kill switch engaged: new orders stop (global), by alice: drawdown',
        `KILL_SWITCH from execution at ${new Date(alerts[3]!.raisedAtMs).toISOString()}`,
      ].join('\n'),
    );
    expect(worker.notifier.stats().channels).toEqual({
      slack: { sent: 5, failed: 0, retries: 0, rateLimited: 0 },
      discord: { sent: 5, failed: 0, retries: 0, rateLimited: 0 },
      telegram: { sent: 5, failed: 0, retries: 0, rateLimited: 0 },
    });
  });
});
