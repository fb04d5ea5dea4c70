import type { Alert } from '@crossvenue/schemas';
import type { Logger } from '@crossvenue/runtime';
import { AlertGate } from './AlertGate.ts';
import { kindOf } from './alertKinds.ts';
import { alertText } from './alertText.ts';
import { RateLimit } from './RateLimit.ts';
import type { WebhookChannel } from './webhookChannels.ts';
import { WebhookSender, type SenderCounts } from './WebhookSender.ts';

export interface NotifierPolicy {
  /** Repeats of one condition within this long after its message are folded into the next one. */
  dedupWindowMs: number;
  /** Messages per channel per minute; what is beyond is summed up in one message when it lifts. */
  ratePerMinute: number;
  /** An alert older than this when read is not sent: it is history (a first start, a long outage). */
  maxAgeMs: number;
}

export interface NotifierOptions extends NotifierPolicy {
  channels: WebhookChannel[];
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface NotifierCounts {
  /** Alerts read again under an event id already handled. */
  redelivered: number;
  /** Repeats of a condition folded into its next message. */
  folded: number;
  /** Alerts older than maxAgeMs when read. */
  tooOld: number;
  /** Per channel: sent, failed, retried, and held back by the rate limit. */
  channels: Record<string, SenderCounts & { rateLimited: number }>;
}

interface Route {
  channel: WebhookChannel;
  limit: RateLimit;
  sender: WebhookSender;
  rateLimited: number;
}

/**
 * Turns alerts into messages on every channel: AlertGate decides whether an alert is said at all
 * (once per event id, repeats folded), then each channel applies its own rate limit and posts on
 * its own queue (WebhookSender). `notify` never waits for a post and never throws for a channel.
 * `tick` sends a rate limit's summary once it lifts, when no new alert comes to carry it.
 */
export class AlertNotifier {
  private readonly gate: AlertGate;
  private readonly routes: Route[];
  private readonly now: () => number;
  private readonly counts = { redelivered: 0, folded: 0, tooOld: 0 };

  constructor(private readonly options: NotifierOptions) {
    this.now = options.now ?? Date.now;
    this.gate = new AlertGate(options.dedupWindowMs, this.now);
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    this.routes = options.channels.map((channel) => ({
      channel,
      limit: new RateLimit(options.ratePerMinute, this.now),
      sender: new WebhookSender(channel, { logger: options.logger, sleep }),
      rateLimited: 0,
    }));
  }

  notify(alert: Alert): void {
    const { logger } = this.options;
    const ageMs = this.now() - alert.raisedAtMs;
    if (ageMs > this.options.maxAgeMs) {
      this.counts.tooOld += 1;
      logger.debug({ eventId: alert.eventId, code: alert.code }, `alert ${alert.eventId} not sent: raised ${ageMs} ms ago`);
      return;
    }
    const kind = kindOf(alert.code);
    const verdict = this.gate.admit(alert, kind);
    if (!verdict.send) {
      this.counts[verdict.why] += 1;
      logger.debug({ eventId: alert.eventId, code: alert.code }, `alert ${alert.eventId} not sent: ${verdict.why}`);
      return;
    }
    const text = alertText(alert, kind, verdict.folded);
    for (const route of this.routes) {
      this.sendSummary(route);
      if (route.limit.admit(kind)) route.sender.send(text);
      else route.rateLimited += 1;
    }
  }

  tick(): void {
    for (const route of this.routes) this.sendSummary(route);
  }

  stats(): NotifierCounts {
    const channels = Object.fromEntries(this.routes.map(({ channel, sender, rateLimited }) => [channel.name, { ...sender.counts, rateLimited }]));
    return { ...this.counts, channels };
  }

  /** Resolves once every message handed to a channel so far is sent or given up. */
  async idle(): Promise<void> {
    await Promise.all(this.routes.map(({ sender }) => sender.idle()));
  }

  async close(): Promise<void> {
    await Promise.all(this.routes.map(({ sender }) => sender.close()));
  }

  private sendSummary(route: Route): void {
    const summary = route.limit.lifted();
    if (summary) route.sender.send(summary);
  }
}
