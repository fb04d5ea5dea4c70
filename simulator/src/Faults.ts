import { SeededRandom } from './engine/SeededRandom.ts';

/** The misbehaviours a simulated venue can be told to show; every field is off when absent. */
export interface FaultSettings {
  /** Added to every HTTP response and WebSocket message. */
  latency?: { fixedMs: number; jitterMs: number };
  /** Drop each WebSocket connection after it has sent this many messages. */
  dropEveryMessages?: number;
  /** The next N order placements are executed but their HTTP ack never arrives. */
  orderAckTimeouts?: number;
  /** 'destroy' resets the connection; 'hang' keeps it open past any client timeout. */
  orderAckTimeoutMode?: 'destroy' | 'hang';
  /** Send every fill on the user stream twice. */
  duplicateFills?: boolean;
  /** Hold each fill back and send it after the next user-stream message. */
  reorderFills?: boolean;
  /**
   * Never send the next N fills on the user stream, on a connection that stays up: the venue
   * executed them but its stream did not say so, and nothing prompts a client to catch up.
   */
  loseFills?: number;
  /** Withhold the next N book-stream updates, so their sequence numbers are skipped. */
  skipBookUpdates?: number;
  /** Reject the next N REST requests as rate limited. */
  rateLimitRequests?: number;
  /**
   * The venue's clock runs this many ms ahead of the host's (negative: behind). Everything it
   * stamps (orders, trades, stream events, server time) and the recvWindow check of a signed
   * request go by it, as on a venue whose clock is off: a client stamping requests by its own
   * clock is then more than 1 s ahead of a venue running behind and refused (-1021 on Binance,
   * 10002 on Bybit) until it takes the venue's time difference into account.
   */
  clockSkewMs?: number;
}

const NUMBER_FIELDS = ['dropEveryMessages', 'orderAckTimeouts', 'skipBookUpdates', 'rateLimitRequests', 'loseFills'] as const;
const BOOLEAN_FIELDS = ['duplicateFills', 'reorderFills'] as const;

/** One venue's current faults; consumed by its transport and dialect. */
export class Faults {
  private settings: FaultSettings = {};
  private readonly random: SeededRandom;

  constructor(seed: number) {
    this.random = new SeededRandom(seed);
  }

  get current(): Readonly<FaultSettings> {
    return this.settings;
  }

  /** Merges `changes` into the current faults; `null` switches one off. */
  set(changes: { [K in keyof FaultSettings]?: FaultSettings[K] | null }): void {
    const next: Record<string, unknown> = { ...this.settings };
    for (const [key, value] of Object.entries(changes)) {
      if (value === null) delete next[key];
      else next[key] = value;
    }
    this.settings = next as FaultSettings;
  }

  clear(): void {
    this.settings = {};
  }

  /** Where the venue's clock stands against the host's now (see FaultSettings.clockSkewMs). */
  skewMs(): number {
    return this.settings.clockSkewMs ?? 0;
  }

  delayMs(): number {
    const latency = this.settings.latency;
    return latency ? latency.fixedMs + this.random.next() * latency.jitterMs : 0;
  }

  /** True (and counts down) when this request must be refused as rate limited. */
  takeRateLimit(): boolean {
    return this.take('rateLimitRequests');
  }

  takeOrderAckTimeout(): boolean {
    return this.take('orderAckTimeouts');
  }

  takeBookSkip(): boolean {
    return this.take('skipBookUpdates');
  }

  takeLostFill(): boolean {
    return this.take('loseFills');
  }

  private take(key: 'rateLimitRequests' | 'orderAckTimeouts' | 'skipBookUpdates' | 'loseFills'): boolean {
    const left = this.settings[key] ?? 0;
    if (left <= 0) return false;
    this.settings = { ...this.settings, [key]: left - 1 };
    return true;
  }
}

/** Validates an admin request body into fault changes; throws a one-line error naming the field. */
export function parseFaultChanges(body: unknown): Parameters<Faults['set']>[0] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('faults: the body must be a JSON object');
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (value === null) changes[key] = null;
    else if ((NUMBER_FIELDS as readonly string[]).includes(key)) {
      if (!Number.isInteger(value) || (value as number) < 0) throw new Error(`faults.${key}: must be a non-negative integer`);
      changes[key] = value;
    } else if ((BOOLEAN_FIELDS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw new Error(`faults.${key}: must be true or false`);
      changes[key] = value;
    } else if (key === 'clockSkewMs') {
      if (!Number.isInteger(value)) throw new Error('faults.clockSkewMs: must be an integer (ms ahead of the host; negative: behind)');
      changes[key] = value;
    } else if (key === 'orderAckTimeoutMode') {
      if (value !== 'destroy' && value !== 'hang') throw new Error('faults.orderAckTimeoutMode: must be "destroy" or "hang"');
      changes[key] = value;
    } else if (key === 'latency') {
      const { fixedMs, jitterMs } = value as { fixedMs?: unknown; jitterMs?: unknown };
      if (typeof fixedMs !== 'number' || typeof jitterMs !== 'number' || fixedMs < 0 || jitterMs < 0) {
        throw new Error('faults.latency: must be {"fixedMs": n, "jitterMs": n} with n >= 0');
      }
      changes[key] = { fixedMs, jitterMs };
    } else throw new Error(`faults.${key}: unknown fault`);
  }
  return changes;
}
