import { createHash } from 'node:crypto';
import { HttpError } from './http/HttpError.ts';

const KEY_FORMAT = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface IdempotentResult {
  status: number;
  body: Record<string, unknown>;
}

/**
 * `Idempotency-Key` on order endpoints: the same key from the same API user is one intent, never a
 * second order. The intent id is derived from (user, key), so even after a gateway restart a repeat
 * names the same intent and the execution path sees a duplicate, not a new order. Within one
 * gateway, the first response is replayed, and the key reused for a different request is refused.
 */
export class IdempotencyKeys {
  private readonly seen = new Map<string, { fingerprint: string; result: Promise<IdempotentResult> }>();

  static validate(key: string | undefined): string | undefined {
    if (key === undefined) return undefined;
    if (!KEY_FORMAT.test(key)) throw new HttpError(400, 'invalid_request', 'Idempotency-Key: use 1-128 letters, digits, or _.:-', 'Idempotency-Key');
    return key;
  }

  static intentId(user: string, key: string): string {
    return `api-${createHash('sha256').update(`${user}\u0000${key}`).digest('hex').slice(0, 32)}`;
  }

  /** Runs `execute` once per (user, key); a repeat gets the first result, marked as a duplicate. */
  async once(user: string, key: string, request: unknown, execute: () => Promise<IdempotentResult>): Promise<IdempotentResult> {
    const slot = `${user}\u0000${key}`;
    const fingerprint = createHash('sha256').update(canonicalJson(request)).digest('hex');
    const previous = this.seen.get(slot);
    if (previous) {
      if (previous.fingerprint !== fingerprint) {
        throw new HttpError(422, 'idempotency_conflict', 'this Idempotency-Key was used for a different request', 'Idempotency-Key');
      }
      const { status, body } = await previous.result;
      return { status, body: { ...body, duplicate: true } };
    }
    const result = execute();
    this.seen.set(slot, { fingerprint, result });
    // A failed attempt may be retried with the same key.
    result.catch(() => this.seen.delete(slot));
    return result;
  }
}

/** JSON with object keys sorted, so that the same request in another key order matches. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
