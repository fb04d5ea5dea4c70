import { Decimal } from '@crossvenue/schemas';
import type { BookLevel, RouteRequest, VenueCandidate, VenueRules } from './RouteRequest.ts';

/** Builders shared by the router's tests and benchmark: readable books from [price, quantity] strings. */
export function levels(rows: readonly (readonly [string, string])[]): BookLevel[] {
  return rows.map(([price, quantity]) => ({ price: new Decimal(price), quantity: new Decimal(quantity) }));
}

const OPEN_RULES: VenueRules = { active: true, quantityStep: null, minQuantity: null, maxQuantity: null, priceTick: null, minNotional: null };

export function venue(name: string, book: { bids?: BookLevel[]; asks?: BookLevel[] }, overrides: Partial<VenueCandidate> = {}): VenueCandidate {
  return {
    venue: name,
    account: 'main',
    bids: book.bids ?? [],
    asks: book.asks ?? [],
    rules: OPEN_RULES,
    takerFee: new Decimal('0.001'),
    makerFee: new Decimal('0.0008'),
    available: null,
    condition: { state: 'HEALTHY', reason: '', latencyP50Ms: null, bookStalenessMs: null, errorRate: new Decimal(0), rejectRate: new Decimal(0) },
    ...overrides,
  };
}

export function rules(overrides: Partial<Record<keyof VenueRules, string | boolean | null>>): VenueRules {
  const parsed = Object.fromEntries(
    Object.entries(overrides).map(([key, value]) => [key, typeof value === 'string' ? new Decimal(value) : value]),
  );
  return { ...OPEN_RULES, ...parsed };
}

export function request(overrides: Partial<RouteRequest> = {}): RouteRequest {
  return {
    intentId: 'intent-1',
    portfolio: 'p1',
    instrument: 'BTC/USDT',
    side: 'BUY',
    amount: new Decimal('1'),
    amountType: 'BASE',
    limitPrice: null,
    timeInForce: 'IOC',
    postOnly: false,
    ...overrides,
  };
}
