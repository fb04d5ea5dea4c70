import type { Logger } from '@crossvenue/runtime';
import type { WebhookChannel } from './webhookChannels.ts';

export interface SenderCounts {
  sent: number;
  /** Messages given up on: refused, still failing after every retry, or beyond the backlog. */
  failed: number;
  retries: number;
}

export interface SenderOptions {
  logger: Logger;
  /** Waits between attempts; injected so tests need no real time. */
  sleep: (ms: number) => Promise<void>;
}

/** Waits before the 2nd, 3rd and 4th attempt; a 429's Retry-After is used instead when given. */
export const RETRY_DELAYS_MS = [1_000, 5_000, 25_000];
const MAX_RETRY_AFTER_MS = 60_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** Messages waiting for one channel; more means it has been failing for a long while. */
const MAX_BACKLOG = 100;

type Outcome = { ok: true } | { ok: false; retryable: boolean; what: string; retryAfterMs: number | null };

/**
 * Posts messages to one channel, one at a time and in order, on a queue of its own, so a slow or
 * failing channel never holds up another, nor the worker reading alerts. A failure that may pass
 * (no connection, a timeout, 429, 5xx) is retried after RETRY_DELAYS_MS; one that will not (any
 * other 4xx: a revoked webhook, a wrong chat id) is given up at once. Either way it is logged,
 * counted, and the next message goes on.
 */
export class WebhookSender {
  readonly counts: SenderCounts = { sent: 0, failed: 0, retries: 0 };
  private queue: Promise<void> = Promise.resolve();
  private backlog = 0;
  private closing = false;

  constructor(
    private readonly channel: WebhookChannel,
    private readonly options: SenderOptions,
  ) {}

  send(text: string): void {
    if (this.backlog >= MAX_BACKLOG) {
      this.counts.failed += 1;
      this.options.logger.error({ channel: this.channel.shownAs }, `${this.channel.shownAs}: ${MAX_BACKLOG} messages waiting; message dropped`);
      return;
    }
    this.backlog += 1;
    this.queue = this.queue
      .then(() => this.deliver(text))
      .catch((error: Error) => this.options.logger.error({ channel: this.channel.shownAs }, `${this.channel.shownAs}: ${this.channel.redact(error.message)}`))
      .finally(() => (this.backlog -= 1));
  }

  /** Resolves once every message handed over so far is sent or given up. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Gives what is queued one more attempt each, without retries, and waits for it. */
  async close(): Promise<void> {
    this.closing = true;
    await this.queue;
  }

  private async deliver(text: string): Promise<void> {
    const { logger, sleep } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      const outcome = await this.post(text);
      if (outcome.ok) {
        this.counts.sent += 1;
        return;
      }
      const retry = outcome.retryable && attempt < RETRY_DELAYS_MS.length && !this.closing;
      const fields = { channel: this.channel.shownAs, attempt: attempt + 1 };
      if (!retry) {
        this.counts.failed += 1;
        logger.error(fields, `${this.channel.shownAs}: message not sent: ${outcome.what}`);
        return;
      }
      const delayMs = outcome.retryAfterMs ?? RETRY_DELAYS_MS[attempt]!;
      logger.warn(fields, `${this.channel.shownAs}: ${outcome.what}; retrying in ${delayMs} ms`);
      this.counts.retries += 1;
      await sleep(delayMs);
    }
  }

  private async post(text: string): Promise<Outcome> {
    const { channel } = this;
    try {
      const response = await fetch(channel.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(channel.body(text)),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      // Read in full either way: it frees the connection, and a refusal says why in its body.
      const answer = channel.redact((await response.text()).slice(0, 200));
      if (response.ok) return { ok: true };
      const retryable = response.status === 408 || response.status === 429 || response.status >= 500;
      return { ok: false, retryable, what: `HTTP ${response.status} ${answer}`.trim(), retryAfterMs: retryAfterMs(response) };
    } catch (error) {
      // No connection, a reset, a timeout: the message may still get through later.
      return { ok: false, retryable: true, what: channel.redact(describe(error)), retryAfterMs: null };
    }
  }
}

function retryAfterMs(response: Response): number | null {
  const seconds = Number(response.headers.get('retry-after'));
  return response.status === 429 && Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds * 1_000, MAX_RETRY_AFTER_MS) : null;
}

/** fetch says "fetch failed" and puts the reason (ECONNREFUSED 127.0.0.1:9) in its cause. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.name === 'TimeoutError' ? `no answer in ${REQUEST_TIMEOUT_MS} ms` : error.message}${cause}`;
}
