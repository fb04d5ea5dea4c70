import type { BalanceSnapshot } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { BalanceLedger } from './BalanceLedger.ts';

const snapshot = (eventId: string, complete: boolean, venueTimeMs: number | null, balances: Array<[string, string]>): BalanceSnapshot => ({
  eventId,
  venue: 'binance',
  account: 'main',
  portfolio: 'desk',
  complete,
  balances: balances.map(([asset, total]) => ({ asset, free: total, locked: '0', total })),
  venueTimeMs,
  receivedAtMs: 0,
});
const totals = (merged: BalanceSnapshot | undefined) => merged && Object.fromEntries(merged.balances.map((b) => [b.asset, b.total]));
const applied = (ledger: BalanceLedger, snapshot: BalanceSnapshot) => ledger.balances(ledger.apply(snapshot));

describe('BalanceLedger', () => {
  it('merges an update of changed assets into the last complete snapshot', () => {
    const ledger = new BalanceLedger();
    ledger.apply(snapshot('s1', true, 1, [['BTC', '1'], ['USDT', '100']]));
    const merged = applied(ledger, snapshot('u1', false, 2, [['USDT', '40'], ['BNB', '0.5']]));
    expect(totals(merged)).toEqual({ BNB: '0.5', BTC: '1', USDT: '40' });
    expect(merged?.complete).toBe(true);
  });

  it('lets a complete snapshot replace what was known', () => {
    const ledger = new BalanceLedger();
    ledger.apply(snapshot('s1', true, 1, [['BTC', '1'], ['USDT', '100']]));
    expect(totals(applied(ledger, snapshot('s2', true, 3, [['USDT', '5']])))).toEqual({ USDT: '5' });
  });

  it('ignores a snapshot older by venue time, and an update applied twice', () => {
    const ledger = new BalanceLedger();
    ledger.apply(snapshot('s2', true, 5, [['USDT', '5'], ['BTC', '1']]));
    expect(totals(applied(ledger, snapshot('s1', true, 4, [['USDT', '100']])))).toEqual({ USDT: '5', BTC: '1' });
    const update = snapshot('u1', false, 6, [['BTC', '2']]);
    ledger.apply(update);
    expect(totals(applied(ledger, update))).toEqual({ USDT: '5', BTC: '2' });
  });
});
