import { Decimal, type FundingPayment } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import type { PositionFill } from './PositionFill.ts';
import { positionFundingOf, type PositionFunding } from './PositionFunding.ts';
import { PositionLedger } from './PositionLedger.ts';
import { toPositionMessage } from './toPositionMessage.ts';

const KEY = { portfolio: 'p1', account: 'a1', venue: 'usdm', instrument: 'BTC/USDT:USDT' };
const KEY_TEXT = 'p1|a1|usdm|BTC/USDT:USDT';
const payment = (fundingId: string, amount: string, venueTimeMs = 1_700_000_000_000): PositionFunding => ({ ...KEY, fundingId, amount: new Decimal(amount), venueTimeMs });
const fill = (tradeId: string, side: 'BUY' | 'SELL', quantity: string, price: string, venueTimeMs: number): PositionFill => ({
  ...KEY,
  tradeId,
  side,
  price: new Decimal(price),
  quantity: new Decimal(quantity),
  fee: new Decimal('0.1'),
  feeCurrency: 'USDT',
  venueTimeMs,
});

describe('funding payments in the position ledger', () => {
  it('adds each payment once by its identity, keeps the first of a conflicting copy, and sums in any order', () => {
    const payments = [payment('f1', '-0.5'), payment('f2', '0.25', 1_700_000_060_000), payment('f3', '-1.125', 1_700_000_030_000)];
    const forward = new PositionLedger();
    const backward = new PositionLedger();
    for (const one of payments) expect(forward.addFunding(one)).toEqual({ outcome: 'applied', key: KEY_TEXT });
    for (const one of [...payments].reverse()) backward.addFunding(one);
    expect(forward.addFunding(payment('f2', '0.25'))).toEqual({ outcome: 'duplicate', key: KEY_TEXT });
    expect(forward.addFunding(payment('f2', '9'))).toEqual({ outcome: 'conflict', key: KEY_TEXT });
    for (const ledger of [forward, backward]) {
      const position = ledger.position(KEY_TEXT)!;
      expect([position.funding.toFixed(), position.fundingCount, position.lastFundingMs]).toEqual(['-1.375', 3, 1_700_000_060_000]);
    }
  });

  it('holds funding that arrives before the position\'s fills, and the fills fold beside it unchanged', () => {
    const ledger = new PositionLedger();
    ledger.addFunding(payment('f1', '-0.5', 1_700_000_100_000));
    expect(ledger.position(KEY_TEXT)).toMatchObject({ quantity: new Decimal(0), fillCount: 0, fundingCount: 1 });
    ledger.add(fill('t2', 'SELL', '0.4', '64100', 1_700_000_200_000));
    ledger.add(fill('t1', 'BUY', '1', '64000', 1_700_000_000_000));
    const position = ledger.position(KEY_TEXT)!;
    expect([position.quantity.toFixed(), position.realizedPnl.toFixed(), position.funding.toFixed()]).toEqual(['0.6', '40', '-0.5']);
    expect(ledger.positions()).toHaveLength(1);
  });

  it('publishes the funding with the position, in an event id that counts the payments, at the latest of fill and payment times', () => {
    const ledger = new PositionLedger();
    ledger.add(fill('t1', 'BUY', '1', '64000', 1_700_000_000_000));
    expect(toPositionMessage(ledger.position(KEY_TEXT)!)).toMatchObject({ eventId: `position:${KEY_TEXT}:1`, funding: '0', updatedAtMs: 1_700_000_000_000 });
    ledger.addFunding(payment('f1', '-0.5', 1_700_028_800_000));
    expect(toPositionMessage(ledger.position(KEY_TEXT)!)).toMatchObject({ eventId: `position:${KEY_TEXT}:1+1`, funding: '-0.5', updatedAtMs: 1_700_028_800_000 });
  });

  it('refuses a payment in another currency than the instrument\'s quote, naming it', () => {
    const wire = { ...KEY, eventId: 'funding:usdm:a1:f9', fundingId: 'f9', amount: '-0.0001', currency: 'BTC', venueTimeMs: 1, receivedAtMs: 2 } satisfies FundingPayment;
    expect(() => positionFundingOf(wire)).toThrow('funding payment usdm/a1/f9: paid in BTC, not USDT, the quote currency of BTC/USDT:USDT');
    expect(positionFundingOf({ ...wire, currency: 'USDT' }).amount.toFixed()).toBe('-0.0001');
  });
});
