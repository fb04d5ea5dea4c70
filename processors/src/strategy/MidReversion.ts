import { Decimal, formatDecimal, InvalidInputError, parseDecimal, parseSymbol, type BookSnapshot, type Fill } from '@crossvenue/schemas';
import type { Strategy, StrategyContext, StrategyFactory } from './Strategy.ts';

const BPS = new Decimal(10_000);

/** MidReversion's settings, each a decimal string but `cooldownMs`. */
export interface MidReversionSettings {
  instrument: string;
  /** The base quantity of each order. */
  clip: Decimal;
  /** How far the consolidated mid must stray from its average, in bps, to trade. */
  thresholdBps: Decimal;
  /** The weight of each new mid in the average (0 < smoothing ≤ 1). */
  smoothing: Decimal;
  /** The largest long or short position it builds, in base. */
  maxPosition: Decimal;
  /** How far through the best price its IOC limit goes, in bps. */
  slippageBps: Decimal;
  /** Time between two orders, in ms of the run's clock. */
  cooldownMs: number;
}

/**
 * The example strategy: it trades the consolidated mid of one instrument back to its moving
 * average. The mid across venues is the best bid anywhere and the best ask anywhere; when it falls
 * `thresholdBps` below its exponential average it buys a clip, when it rises as far above it
 * sells one, as an IOC limit `slippageBps` through the best price, routed by the smart router
 * across the venues. Its position (from its own fills) stays within ±maxPosition; the cooldown
 * keeps it from ordering again before an order's fills have come.
 *
 * It is small on purpose: it shows the strategy interface, and trades often enough on moving books
 * (the demo venues, the recorded captures) to exercise routing, fills and positions.
 */
export class MidReversion implements Strategy {
  readonly instruments: readonly string[];
  private average: Decimal | null = null;
  private position = new Decimal(0);
  private lastOrderAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly settings: MidReversionSettings) {
    this.instruments = [settings.instrument];
  }

  async onBook(book: BookSnapshot, context: StrategyContext): Promise<void> {
    const venues = [...context.books(book.instrument).values()];
    const bestBid = best(venues.map((venue) => venue.bids[0]?.price), (a, b) => a.gt(b));
    const bestAsk = best(venues.map((venue) => venue.asks[0]?.price), (a, b) => a.lt(b));
    if (!bestBid || !bestAsk) return;
    const mid = bestBid.plus(bestAsk).dividedBy(2);
    const average = this.average ?? mid;
    this.average = average.plus(mid.minus(average).times(this.settings.smoothing));
    if (context.now() - this.lastOrderAt < this.settings.cooldownMs) return;
    const deviation = mid.minus(this.average).dividedBy(this.average).times(BPS);
    const { clip, maxPosition, thresholdBps, slippageBps } = this.settings;
    if (deviation.lte(thresholdBps.negated()) && this.position.plus(clip).lte(maxPosition)) {
      this.lastOrderAt = context.now();
      await context.place({ instrument: book.instrument, side: 'BUY', amount: formatDecimal(clip), limitPrice: through(bestAsk, slippageBps, Decimal.ROUND_UP) });
    } else if (deviation.gte(thresholdBps) && this.position.minus(clip).gte(maxPosition.negated())) {
      this.lastOrderAt = context.now();
      await context.place({ instrument: book.instrument, side: 'SELL', amount: formatDecimal(clip), limitPrice: through(bestBid, slippageBps.negated(), Decimal.ROUND_DOWN) });
    }
  }

  onFill(fill: Fill): void {
    if (fill.instrument !== this.settings.instrument) return;
    const quantity = new Decimal(fill.quantity);
    this.position = fill.side === 'BUY' ? this.position.plus(quantity) : this.position.minus(quantity);
  }

  /** Its position from its own fills, in base. */
  get net(): Decimal {
    return this.position;
  }
}

/**
 * `price` moved by `bps`, to 8 places, rounded so the order stays marketable; the router puts it on
 * each venue's tick, never more aggressive than this.
 */
function through(price: Decimal, bps: Decimal, rounding: typeof Decimal.ROUND_UP | typeof Decimal.ROUND_DOWN): string {
  return formatDecimal(price.times(BPS.plus(bps)).dividedBy(BPS).toDecimalPlaces(8, rounding));
}

function best(prices: ReadonlyArray<string | undefined>, better: (a: Decimal, b: Decimal) => boolean): Decimal | null {
  let found: Decimal | null = null;
  for (const price of prices) {
    if (price === undefined) continue;
    const value = new Decimal(price);
    if (found === null || better(value, found)) found = value;
  }
  return found;
}

/** Reads MidReversion's settings from configuration, refusing what is missing or out of range. */
export const midReversion: StrategyFactory = (raw) => {
  const where = (key: string) => `strategy settings ${key}`;
  const known = ['instrument', 'clip', 'thresholdBps', 'smoothing', 'maxPosition', 'slippageBps', 'cooldownMs'];
  const unknown = Object.keys(raw).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new InvalidInputError(`strategy settings: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`);
  const positive = (key: string, fallback?: string) => {
    const value = parseDecimal(raw[key] ?? fallback, where(key));
    if (!value.gt(0)) throw new InvalidInputError(`${where(key)}: must be positive, got ${raw[key] as string}`);
    return value;
  };
  if (raw.instrument === undefined) throw new InvalidInputError(`${where('instrument')}: required, the unified symbol it trades (e.g. BTC/USDT)`);
  parseSymbol(raw.instrument);
  const smoothing = positive('smoothing', '0.05');
  if (smoothing.gt(1)) throw new InvalidInputError(`${where('smoothing')}: must be at most 1, got ${raw.smoothing as string}`);
  const cooldownMs = raw.cooldownMs ?? 5_000;
  if (!Number.isInteger(cooldownMs) || (cooldownMs as number) < 0) throw new InvalidInputError(`${where('cooldownMs')}: must be a whole number of ms ≥ 0, got ${String(cooldownMs)}`);
  return new MidReversion({
    instrument: raw.instrument as string,
    clip: positive('clip'),
    thresholdBps: positive('thresholdBps', '2'),
    smoothing,
    maxPosition: positive('maxPosition'),
    slippageBps: positive('slippageBps', '5'),
    cooldownMs: cooldownMs as number,
  });
};
