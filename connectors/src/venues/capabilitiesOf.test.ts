import { clientOrderId, type IntentId } from '@crossvenue/schemas';
import ccxt, { type Exchange } from 'ccxt';
import { afterAll, describe, expect, it } from 'vitest';
import { CAPABILITY_ROWS, capabilitiesOf } from './capabilitiesOf.ts';

/** Which of ccxt's `features` entries a row covers (the market types it trades). */
const FEATURE_PATHS: Record<string, string[][]> = {
  binance: [['spot']],
  binanceusdm: [['swap', 'linear']],
  okx: [['spot'], ['swap', 'linear']],
  bybit: [['spot'], ['swap', 'linear']],
  coinbase: [['spot']],
  kraken: [['spot']],
  hyperliquid: [['swap', 'linear']],
};

interface CreateOrderFeatures {
  timeInForce?: Record<string, boolean>;
  triggerPrice?: boolean;
  stopLossPrice?: boolean;
}

// Offline: a ccxt class describes itself (`has`, `features`) without a request.
const exchanges = new Map<string, Exchange>();
const exchangeOf = (id: string) => {
  if (!exchanges.has(id)) exchanges.set(id, new (ccxt.pro as unknown as Record<string, new () => Exchange>)[id]!());
  return exchanges.get(id)!;
};
const createOrderFeatures = (id: string): CreateOrderFeatures[] =>
  FEATURE_PATHS[id]!.map((path) => (path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], exchangeOf(id).features) as { createOrder: CreateOrderFeatures }).createOrder);

describe('capabilitiesOf', () => {
  afterAll(async () => {
    await Promise.all([...exchanges.values()].map((exchange) => exchange.close()));
  });

  it('has one row for each venue the ccxt connector trades on', () => {
    expect(CAPABILITY_ROWS.map((row) => row.ccxtId)).toEqual(['binance', 'binanceusdm', 'okx', 'bybit', 'coinbase', 'kraken', 'hyperliquid']);
    for (const row of CAPABILITY_ROWS) expect(capabilitiesOf(row.ccxtId)).toBe(row);
    expect(() => capabilitiesOf('gate')).toThrow('venue "gate": no capability row (known: binance, binanceusdm, okx, bybit, coinbase, kraken, hyperliquid)');
  });

  describe.each(CAPABILITY_ROWS.map((row) => [row.ccxtId, row] as const))('%s', (id, row) => {
    const has = () => exchangeOf(id).has;

    it('asks the venue only what its ccxt class can ask: lookups, cancels and amends', () => {
      if (row.byClientOrderId.lookup === 'fetch-order') expect(has().fetchOrder).toBe(true);
      if (row.byClientOrderId.lookup === 'order-lists') expect([has().fetchOpenOrders, has().fetchClosedOrders]).toEqual([true, true]);
      expect(has().cancelOrder).toBe(true);
      expect(has().editOrder).toBe(true);
    });

    it('takes fees from the fill stream exactly where ccxt streams our trades', () => {
      expect(row.fees === 'fill').toBe(has().watchMyTrades === true);
      expect(has().fetchMyTrades).toBe(true);
    });

    it('offers no time in force, post-only, reduce-only or stop order that ccxt cannot send', () => {
      for (const features of createOrderFeatures(id)) {
        for (const tif of row.timeInForce) expect(features.timeInForce?.[tif], tif).toBe(true);
        if (row.postOnly) expect(features.timeInForce?.PO).toBe(true);
        expect(row.stopOrders).toBe(features.triggerPrice === true || features.stopLossPrice === true);
      }
      if (row.reduceOnly) expect(has().createReduceOnlyOrder).toBe(true);
      if (row.reduceOnly) expect(has().swap).toBe(true);
    });

    it('writes every client order id we derive in a form the venue accepts, and reads it back as ours', () => {
      for (const [intent, leg, attempt] of [['intent-1', 0, 0], ['2f1c7a9e-8d36-4a43-9a51-0c4e7a1b2c3d', 17, 4095]] as const) {
        const ours = clientOrderId(intent as IntentId, leg, attempt);
        const venueForm = row.clientOrderIds.toVenue(ours);
        expect(venueForm).toMatch(row.clientOrderIds.pattern);
        expect(row.clientOrderIds.fromVenue(venueForm)).toBe(ours);
      }
    });
  });

  it("writes Hyperliquid cloids as 0x and our 32 hex digits, and reads the venue's cloid back as ours", () => {
    const ids = capabilitiesOf('hyperliquid').clientOrderIds;
    const ours = clientOrderId('intent-1' as IntentId, 0, 0);
    expect(ids.toVenue(ours)).toBe(`0x${ours}`);
    expect(ids.fromVenue('0xe8d5fd7ebbb4c3cff4d1803472a11463')).toBe('e8d5fd7ebbb4c3cff4d1803472a11463');
    expect(ids.pattern.test(ours)).toBe(false);
  });

  it('narrows ccxt where the venue document does: Kraken spot and Hyperliquid have no fill-or-kill', () => {
    expect(createOrderFeatures('kraken')[0]!.timeInForce?.FOK).toBe(true);
    expect(capabilitiesOf('kraken').timeInForce).toEqual(['GTC', 'IOC']);
    expect(capabilitiesOf('hyperliquid').timeInForce).toEqual(['GTC', 'IOC']);
  });
});
