import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MARKETS } from '../markets.ts';
import { BackgroundFlow } from './BackgroundFlow.ts';
import { EngineRejection } from './EngineRejection.ts';
import { MatchingEngine } from './MatchingEngine.ts';
import type { EngineEvent, OrderRequest } from './types.ts';

const d = (value: string) => new Decimal(value);

function engine() {
  let now = 1_700_000_000_000;
  const built = new MatchingEngine({
    markets: DEFAULT_MARKETS.map((m) => m.rules),
    fees: { maker: d('0.001'), taker: d('0.002') },
    clock: () => now++,
  });
  for (const account of ['alice', 'bob', 'carol']) {
    built.balances.credit(account, 'USDT', d('1000000'));
    built.balances.credit(account, 'BTC', d('10'));
  }
  return built;
}

const limit = (account: string, side: 'BUY' | 'SELL', quantity: string, price: string, extra: Partial<OrderRequest> = {}): OrderRequest => ({
  account, symbol: 'BTCUSDT', side, type: 'LIMIT', quantity: d(quantity), price: d(price), ...extra,
});

function rejection(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof EngineRejection) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('MatchingEngine', () => {
  it('matches by price, then time, at the maker price, with partial fills', () => {
    const e = engine();
    const first = e.place(limit('alice', 'SELL', '0.1', '64000'));
    const second = e.place(limit('bob', 'SELL', '0.1', '64000'));
    const better = e.place(limit('bob', 'SELL', '0.1', '63990'));
    const taker = e.place(limit('carol', 'BUY', '0.15', '64100'));
    expect(taker.status).toBe('FILLED');
    expect(taker.cumulativeQuote.toFixed()).toBe('9599'); // 0.1 at 63990 + 0.05 at 64000
    expect(e.order('bob', 'BTCUSDT', { orderId: better.orderId }).status).toBe('FILLED');
    expect(e.order('alice', 'BTCUSDT', { orderId: first.orderId }).executedQuantity.toFixed()).toBe('0.05');
    expect(e.order('bob', 'BTCUSDT', { orderId: second.orderId }).executedQuantity.toFixed()).toBe('0');
    expect(e.depth('BTCUSDT', 5).asks.map((l) => [l.price.toFixed(), l.total.toFixed()])).toEqual([['64000', '0.15']]);
  });

  it('settles exact balances with maker and taker fees, and refunds a better fill price', () => {
    const e = engine();
    e.place(limit('alice', 'SELL', '0.1', '64000'));
    e.place(limit('carol', 'BUY', '0.1', '64100'));
    // carol pays 6400 (locked 6410, 10 refunded), receives 0.1 BTC less the 0.2% taker fee
    expect(e.balances.get('carol', 'USDT')).toEqual({ free: d('993600'), locked: d('0') });
    expect(e.balances.get('carol', 'BTC').free.toFixed()).toBe('10.0998');
    // alice receives 6400 USDT less the 0.1% maker fee
    expect(e.balances.get('alice', 'USDT').free.toFixed()).toBe('1006393.6');
    expect(e.balances.get('alice', 'BTC')).toEqual({ free: d('9.9'), locked: d('0') });
    const [execution] = e.ownExecutions('alice', 'BTCUSDT');
    expect([execution!.isMaker, execution!.commission.toFixed(), execution!.commissionAsset]).toEqual([true, '6.4', 'USDT']);
  });

  it('expires IOC remainders, and FOK orders that cannot fill completely', () => {
    const e = engine();
    e.place(limit('alice', 'SELL', '0.1', '64000'));
    const ioc = e.place(limit('bob', 'BUY', '0.3', '64000', { timeInForce: 'IOC' }));
    expect([ioc.status, ioc.executedQuantity.toFixed()]).toEqual(['EXPIRED', '0.1']);
    e.place(limit('alice', 'SELL', '0.1', '64000'));
    const fok = e.place(limit('bob', 'BUY', '0.3', '64000', { timeInForce: 'FOK' }));
    expect([fok.status, fok.executedQuantity.toFixed()]).toEqual(['EXPIRED', '0']);
    expect(e.balances.get('bob', 'USDT').locked.toFixed()).toBe('0');
  });

  it('rejects a post-only order that would take, and accepts one that rests', () => {
    const e = engine();
    e.place(limit('alice', 'SELL', '0.1', '64000'));
    expect(rejection(() => e.place(limit('bob', 'BUY', '0.1', '64000', { type: 'LIMIT_MAKER' })))).toBe('WOULD_TAKE');
    expect(e.place(limit('bob', 'BUY', '0.1', '63999.99', { type: 'LIMIT_MAKER' })).status).toBe('NEW');
  });

  it('enforces tick, lot, notional and balance with the venue filters', () => {
    const e = engine();
    expect(rejection(() => e.place(limit('alice', 'BUY', '0.1', '64000.001')))).toBe('PRICE_FILTER');
    expect(rejection(() => e.place(limit('alice', 'BUY', '0.000015', '64000')))).toBe('LOT_SIZE');
    expect(rejection(() => e.place(limit('alice', 'BUY', '0.00001', '64000')))).toBe('MIN_NOTIONAL');
    expect(rejection(() => e.place(limit('alice', 'BUY', '100', '64000')))).toBe('INSUFFICIENT_BALANCE');
    expect(rejection(() => e.place({ ...limit('alice', 'BUY', '1', '1'), symbol: 'NOPE' }))).toBe('UNKNOWN_SYMBOL');
  });

  it('prevents self-trades by expiring the taker (EXPIRE_TAKER)', () => {
    const e = engine();
    e.place(limit('bob', 'SELL', '0.1', '63990'));
    e.place(limit('alice', 'SELL', '0.1', '64000'));
    const taker = e.place(limit('alice', 'BUY', '0.2', '64000'));
    expect([taker.status, taker.executedQuantity.toFixed()]).toEqual(['EXPIRED_IN_MATCH', '0.1']);
    expect(e.openOrders('alice', 'BTCUSDT')).toHaveLength(1);
  });

  it('amends in place: a smaller quantity keeps queue priority, a new price loses it', () => {
    const e = engine();
    const a = e.place(limit('alice', 'SELL', '0.2', '64000'));
    e.place(limit('bob', 'SELL', '0.1', '64000'));
    e.amend('alice', 'BTCUSDT', { orderId: a.orderId }, { quantity: d('0.1') });
    expect(e.place(limit('carol', 'BUY', '0.1', '64000')).status).toBe('FILLED');
    expect(e.order('alice', 'BTCUSDT', { orderId: a.orderId }).status).toBe('FILLED');

    const b = e.place(limit('alice', 'SELL', '0.1', '64000'));
    e.amend('alice', 'BTCUSDT', { clientOrderId: b.clientOrderId }, { price: d('64000.01') });
    e.amend('alice', 'BTCUSDT', { orderId: b.orderId }, { price: d('64000') });
    e.place(limit('carol', 'BUY', '0.1', '64000'));
    expect(e.order('alice', 'BTCUSDT', { orderId: b.orderId }).status).toBe('NEW'); // bob's order was ahead now
    expect(e.balances.get('alice', 'BTC').locked.toFixed()).toBe('0.1');
  });

  it('refuses an amendment it cannot fund, or that would make a post-only order take, leaving the order as it was', () => {
    const e = engine();
    e.balances.credit('dave', 'USDT', d('6400'));
    const order = e.place(limit('dave', 'BUY', '0.1', '63000', { type: 'LIMIT_MAKER' }));
    e.place(limit('alice', 'SELL', '0.1', '64000'));
    expect(rejection(() => e.amend('dave', 'BTCUSDT', { orderId: order.orderId }, { quantity: d('0.2') }))).toBe('INSUFFICIENT_BALANCE');
    expect(rejection(() => e.amend('dave', 'BTCUSDT', { orderId: order.orderId }, { price: d('64000') }))).toBe('WOULD_TAKE');
    expect(e.openOrders('dave', 'BTCUSDT').map((o) => [o.quantity.toFixed(), o.price.toFixed()])).toEqual([['0.1', '63000']]);
    expect(e.balances.get('dave', 'USDT')).toEqual({ free: d('100'), locked: d('6300') });
    expect(e.depth('BTCUSDT', 1).bids[0]!.total.toFixed()).toBe('0.1');
  });

  it('cancels by client order id, refuses duplicates of an open one, and unknown orders', () => {
    const e = engine();
    e.place(limit('alice', 'BUY', '0.1', '60000', { clientOrderId: 'leg-1' }));
    expect(rejection(() => e.place(limit('alice', 'BUY', '0.1', '60000', { clientOrderId: 'leg-1' })))).toBe('DUPLICATE_CLIENT_ORDER_ID');
    expect(e.cancel('alice', 'BTCUSDT', { clientOrderId: 'leg-1' }).status).toBe('CANCELED');
    expect(rejection(() => e.cancel('alice', 'BTCUSDT', { clientOrderId: 'leg-1' }))).toBe('ORDER_NOT_OPEN');
    expect(rejection(() => e.cancel('bob', 'BTCUSDT', { orderId: 1 }))).toBe('UNKNOWN_ORDER');
    expect(e.balances.get('alice', 'USDT').locked.toFixed()).toBe('0');
  });

  it('market buys walk the book and stop at what the account can pay for', () => {
    const e = engine();
    e.place(limit('alice', 'SELL', '1', '64000'));
    e.balances.credit('poor', 'USDT', d('3200'));
    const order = e.place({ account: 'poor', symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: d('1') });
    expect([order.status, order.executedQuantity.toFixed(), order.cumulativeQuote.toFixed()]).toEqual(['EXPIRED', '0.05', '3200']);
  });

  it('emits one book update per operation with consecutive update ids', () => {
    const e = engine();
    const books: Array<Extract<EngineEvent, { kind: 'book' }>> = [];
    e.onEvents((events) => events.forEach((event) => event.kind === 'book' && books.push(event)));
    e.place(limit('alice', 'SELL', '0.1', '64000'));
    e.place(limit('alice', 'SELL', '0.1', '64001'));
    e.place(limit('bob', 'BUY', '0.2', '64001'));
    expect(books.map((b) => b.updateId)).toEqual([2, 3, 4]);
    expect(books[2]!.changes.map((c) => [c.side, c.price.toFixed(), c.quantity.toFixed()])).toEqual([
      ['SELL', '64000', '0'],
      ['SELL', '64001', '0'],
    ]);
  });

  it('replays the same background flow for the same seed', () => {
    const run = (seed: number) => {
      const e = engine();
      e.place(limit('alice', 'SELL', '0.01', '64000'));
      e.place(limit('bob', 'BUY', '0.01', '63000'));
      const flow = new BackgroundFlow(e, seed);
      for (let i = 0; i < 200; i++) flow.step();
      return JSON.stringify(e.depth('BTCUSDT', 10));
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
  });
});
