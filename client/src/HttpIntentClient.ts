import { setTimeout as sleep } from 'node:timers/promises';
import { FINAL_INTENT_STATES, type IntentStatus } from '@crossvenue/schemas';
import { orderOf, type OrderChange, type OrderTerms } from './OrderTerms.ts';
import { noFinalStatus } from './StatusWatch.ts';

export interface HttpIntentClientOptions {
  /** The gateway, e.g. http://127.0.0.1:8080. */
  url: string;
  /** An API key with the trader role (placing) or read (following). */
  apiKey: string;
  /** How often final() asks for the status; 100 ms unless given. */
  pollMs?: number;
}

/** The gateway's error body: the code, the field at fault and one line saying why. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly field: string | undefined,
    message: string,
  ) {
    super(`gateway ${status} ${code}${field ? ` (${field})` : ''}: ${message}`);
  }
}

/**
 * A strategy's way in over HTTP, through the gateway: `POST /intents` (refused up front with the
 * reason when the execution path would not execute it), `POST /execution/unified_cancel` and
 * `unified_amend`, and the status from `GET /intents/{id}`.
 */
export class HttpIntentClient {
  constructor(private readonly options: HttpIntentClientOptions) {}

  /**
   * Places an order; resolves with its intent id once the gateway has published it. With an
   * idempotency key, sending the same terms again (after a timeout, say) is the same intent.
   */
  async place(terms: OrderTerms, idempotencyKey?: string): Promise<string> {
    const { portfolio, instrument, account, venues } = terms;
    const { side, amount, amountType, limitPrice, timeInForce, expireAtMs, postOnly, reduceOnly } = orderOf(terms);
    // What is absent is left out, not sent as null: the gateway takes an omitted field as its default.
    const body = { kind: 'ORDER', portfolio, instrument, account, venues, side, amount, amountType, limitPrice: limitPrice ?? undefined, timeInForce, expireAtMs: expireAtMs ?? undefined, postOnly, reduceOnly };
    const answer = await this.call<{ intentId: string }>('POST', '/intents', body, idempotencyKey && { 'idempotency-key': idempotencyKey });
    return answer.intentId;
  }

  async modify(intentId: string, change: OrderChange): Promise<void> {
    await this.call('POST', '/execution/unified_amend', { intentId, ...change });
  }

  async cancel(intentId: string): Promise<void> {
    await this.call('POST', '/execution/unified_cancel', { intentId });
  }

  /** The intent's latest status; null until the execution side has published one. */
  async status(intentId: string): Promise<IntentStatus | null> {
    return (await this.call<{ status: IntentStatus | null }>('GET', `/intents/${encodeURIComponent(intentId)}`)).status;
  }

  /** Asks until the status is final (DONE, CANCELED, EXPIRED, REJECTED); rejects after `timeoutMs`. */
  async final(intentId: string, timeoutMs: number): Promise<IntentStatus> {
    const until = Date.now() + timeoutMs;
    let last: IntentStatus | null = null;
    while (Date.now() < until) {
      last = await this.status(intentId).catch((error: unknown) => {
        // The gateway learns of an intent from the bus: a 404 right after placing is a race, not an answer.
        if (error instanceof GatewayError && error.status === 404) return null;
        throw error;
      });
      if (last && FINAL_INTENT_STATES.has(last.state)) return last;
      await sleep(this.options.pollMs ?? 100);
    }
    throw noFinalStatus(intentId, timeoutMs, last);
  }

  private async call<T>(method: string, path: string, body?: unknown, headers?: Record<string, string> | ''): Promise<T> {
    const response = await fetch(`${this.options.url}${path}`, {
      method,
      headers: { 'x-api-key': this.options.apiKey, ...(body !== undefined && { 'content-type': 'application/json' }), ...(headers || {}) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const answer = (await response.json()) as T & { error?: { code: string; field?: string; message: string } };
    if (!response.ok) {
      const error = answer.error ?? { code: 'unknown', message: JSON.stringify(answer) };
      throw new GatewayError(response.status, error.code, error.field, error.message);
    }
    return answer;
  }
}
