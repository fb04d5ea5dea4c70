import { setTimeout as sleep } from 'node:timers/promises';
import type { Intent, IntentKind, IntentStatus } from '@crossvenue/schemas';
import { orderOf, type OrderChange, type OrderTerms, type TargetTerms } from './OrderTerms.ts';
import { hasEnded, reachedOrEnded, reachedStatus, timedOut } from './StatusWatch.ts';

export interface HttpIntentClientOptions {
  /** The gateway, e.g. http://127.0.0.1:8080. */
  url: string;
  /** An API key with the trader role (placing) or read (following). */
  apiKey: string;
  /** How often final(), reached() and until() ask for the status; 100 ms unless given. */
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

/** `GET /intents/{id}`: the intent as the gateway holds it (its kind says how its status ends) and its latest status. */
interface IntentAnswer {
  desired: Intent;
  status: IntentStatus | null;
}

/**
 * A strategy's way in over HTTP, through the gateway: `POST /intents` (refused up front with the
 * reason when the execution path would not execute it), `POST /execution/unified_cancel` and
 * `unified_amend`, and the status from `GET /intents/{id}`.
 */
export class HttpIntentClient {
  constructor(private readonly options: HttpIntentClientOptions) {}

  /**
   * Places an order (a trigger, an iceberg or a TWAP included); resolves with its intent id once the
   * gateway has published it. With an idempotency key, sending the same terms again (after a
   * timeout, say) is the same intent.
   */
  async place(terms: OrderTerms, idempotencyKey?: string): Promise<string> {
    const { portfolio, instrument, account, venues, algo } = terms;
    const { side, amount, amountType, limitPrice, timeInForce, expireAtMs, postOnly, reduceOnly, trigger, icebergQuantity } = orderOf(terms);
    // What is absent is left out, not sent as null: the gateway takes an omitted field as its default.
    const body = {
      kind: 'ORDER',
      portfolio,
      instrument,
      account,
      venues,
      side,
      amount,
      amountType,
      limitPrice: limitPrice ?? undefined,
      timeInForce,
      expireAtMs: expireAtMs ?? undefined,
      postOnly,
      reduceOnly,
      trigger: trigger ?? undefined,
      icebergQuantity: icebergQuantity ?? undefined,
      algo,
    };
    return this.placeBody(body, idempotencyKey);
  }

  /** Sets a target position (held until cancelled); resolves with its intent id, once per idempotency key as place(). */
  setTarget(terms: TargetTerms, idempotencyKey?: string): Promise<string> {
    // Field by field: the gateway refuses any field a target does not take, rather than ignore it.
    const { portfolio, instrument, targetQuantity, account, venues } = terms;
    return this.placeBody({ kind: 'TARGET_POSITION', portfolio, instrument, targetQuantity, account, venues }, idempotencyKey);
  }

  /** Changes the amount or the limit price of an order. */
  async modify(intentId: string, change: OrderChange): Promise<void> {
    await this.call('POST', '/execution/unified_amend', { intentId, ...change });
  }

  /** Moves a target to another signed position (a decimal string). */
  async modifyTarget(intentId: string, targetQuantity: string): Promise<void> {
    await this.call('POST', '/execution/unified_amend', { intentId, targetQuantity });
  }

  /** Cancels an order or a target. */
  async cancel(intentId: string): Promise<void> {
    await this.call('POST', '/execution/unified_cancel', { intentId });
  }

  /** The intent's latest status; null until the execution side has published one. */
  async status(intentId: string): Promise<IntentStatus | null> {
    return (await this.call<IntentAnswer>('GET', `/intents/${encodeURIComponent(intentId)}`)).status;
  }

  /**
   * Asks until the status is final; rejects after `timeoutMs`. An order's are DONE, CANCELED,
   * EXPIRED and REJECTED; a target's only CANCELED, or REJECTED on arrival (its DONE is not final:
   * see reached()).
   */
  final(intentId: string, timeoutMs: number): Promise<IntentStatus> {
    return this.poll(intentId, hasEnded, timeoutMs, 'no final status');
  }

  /** Asks until the target is DONE, its position at the target; rejects when it ends without, or after `timeoutMs`. */
  async reached(intentId: string, timeoutMs: number): Promise<IntentStatus> {
    return reachedStatus(await this.poll(intentId, reachedOrEnded, timeoutMs, 'not DONE at its target'));
  }

  /** Asks until `wanted` takes the intent's latest status; rejects after `timeoutMs`. Statuses between two asks are not seen. */
  until(intentId: string, wanted: (status: IntentStatus) => boolean, timeoutMs: number): Promise<IntentStatus> {
    return this.poll(intentId, wanted, timeoutMs, 'no status as wanted');
  }

  private async placeBody(body: Record<string, unknown>, idempotencyKey: string | undefined): Promise<string> {
    const answer = await this.call<{ intentId: string }>('POST', '/intents', body, idempotencyKey && { 'idempotency-key': idempotencyKey });
    return answer.intentId;
  }

  private async poll(intentId: string, wanted: (status: IntentStatus, kind: IntentKind) => boolean, timeoutMs: number, awaited: string): Promise<IntentStatus> {
    const until = Date.now() + timeoutMs;
    let last: IntentStatus | null = null;
    while (Date.now() < until) {
      const answer = await this.call<IntentAnswer>('GET', `/intents/${encodeURIComponent(intentId)}`).catch((error: unknown) => {
        // The gateway learns of an intent from the bus: a 404 right after placing is a race, not an answer.
        if (error instanceof GatewayError && error.status === 404) return null;
        throw error;
      });
      last = answer?.status ?? null;
      if (answer && last && wanted(last, answer.desired.kind)) return last;
      await sleep(this.options.pollMs ?? 100);
    }
    throw timedOut(intentId, awaited, timeoutMs, last);
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
