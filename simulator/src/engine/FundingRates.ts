import { Decimal } from '@crossvenue/schemas';
import { SeededRandom } from './SeededRandom.ts';

/** One settled funding: the rate applied to every position in the symbol at its mark price then. */
export interface FundingRecord {
  symbol: string;
  fundingRate: Decimal;
  fundingTime: number;
  markPrice: Decimal;
}

/** Binance's interest rate per 8-hour interval (0.03% a day) and the clamp around it. */
export const INTEREST_RATE = new Decimal('0.0001');
const CLAMP = new Decimal('0.0005');
/** The seeded premium index lies within ±0.1%, in whole millionths. */
const PREMIUM_MILLIONTHS = 1000;

/**
 * Each perpetual's funding rate and the history of settled ones. A symbol starts at Binance's
 * formula over a seeded premium P: F = P + clamp(I − P, −0.05%, +0.05%), I the interest rate, so
 * the same seed gives the same rates; `set` replaces it (a test or a scenario picks its rate).
 */
export class FundingRates {
  private readonly rates = new Map<string, Decimal>();
  private readonly settled: FundingRecord[] = [];

  constructor(symbols: readonly string[], seed: number) {
    const random = new SeededRandom(seed);
    for (const symbol of symbols) {
      const premium = new Decimal(random.int(-PREMIUM_MILLIONTHS, PREMIUM_MILLIONTHS)).div(1_000_000);
      this.rates.set(symbol, premium.plus(Decimal.min(CLAMP, Decimal.max(CLAMP.negated(), INTEREST_RATE.minus(premium)))));
    }
  }

  rate(symbol: string): Decimal {
    return this.rates.get(symbol)!;
  }

  set(symbol: string, rate: Decimal): void {
    if (!this.rates.has(symbol)) throw new Error(`no perpetual ${symbol}`);
    this.rates.set(symbol, rate);
  }

  record(record: FundingRecord): void {
    this.settled.push(record);
  }

  /** Settled fundings of `symbol` (all symbols when absent), oldest first. */
  history(symbol?: string): FundingRecord[] {
    return this.settled.filter((record) => symbol === undefined || record.symbol === symbol);
  }
}
