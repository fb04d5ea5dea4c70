import { TOPICS } from '@crossvenue/schemas';
import type { Consumer, Logger, MessageBus } from '@crossvenue/runtime';
import { AlertNotifier } from './AlertNotifier.ts';
import type { NotifierSettings } from './notifierSettings.ts';

/** How often a rate limit that has lifted sends its summary when no new alert comes to carry it. */
const TICK_MS = 5_000;

/**
 * The notifier on the bus: reads `ops.alerts` and tells people on Slack, Discord and Telegram
 * (AlertNotifier).
 *
 * It reads under one consumer group, `notifier`, so a restart goes on where the last run stopped
 * and says what was raised while it was away. A first start reads the topic from the beginning;
 * the alerts older than NOTIFY_MAX_AGE_MS there are history and are not sent. One instance runs per
 * deployment (the topic has one partition).
 *
 * Known limit: a batch is committed once its messages are queued, not once they are posted, so a
 * channel is never held up by another, nor reading by a channel. A message still queued when the
 * process dies is lost; its alert stays on ops.alerts and in the audit log.
 */
export class NotifierWorker {
  readonly notifier: AlertNotifier;
  private consumer: Consumer | undefined;
  private ticker: NodeJS.Timeout | undefined;

  /** Each channel and its host, e.g. "slack (hooks.slack.com)": what the worker may log of them. */
  readonly channels: string[];

  constructor(
    private readonly messages: MessageBus,
    settings: NotifierSettings,
    logger: Logger,
  ) {
    this.notifier = new AlertNotifier({ ...settings, logger });
    this.channels = settings.channels.map((channel) => channel.shownAs);
  }

  async start(): Promise<void> {
    this.consumer = await this.messages.subscribe({
      groupId: 'notifier',
      topics: [TOPICS.alerts],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { value } of batch) this.notifier.notify(value);
      },
    });
    this.ticker = setInterval(() => this.notifier.tick(), TICK_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    await this.consumer?.stop();
    await this.notifier.close();
  }
}
