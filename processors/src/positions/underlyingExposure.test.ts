import { Decimal, midPrice } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { unrealizedPnl } from './markToMarket.ts';
import { PositionLedger } from './PositionLedger.ts';
import type { PositionFill } from './PositionFill.ts';
import { underlyingExposures } from './underlyingExposure.ts';

const fill = (venue: string, account: string, instrument: string, side: 'BUY' | 'SELL', quantity: string, price: string, tradeId: string): PositionFill => ({
  portfolio: 'p', account, venue, instrument, tradeId, side, quantity: new Decimal(quantity), price: new Decimal(price), fee: new Decimal('0.5'), feeCurrency: 'USDT', venueTimeMs: 1,
});

describe('underlying exposure and marks', () => {
  it('aggregates one base asset across venues, accounts and instruments, PnL per quote currency', () => {
    const ledger = new PositionLedger();
    for (const f of [
      fill('binance', 'a1', 'BTC/USDT', 'BUY', '2', '100', '1'),
      fill('okx', 'a2', 'BTC/USDT:USDT', 'SELL', '0.5', '100', '2'),
      fill('kraken', 'a3', 'BTC/USD', 'BUY', '1', '100', '3'),
      fill('kraken', 'a3', 'BTC/USD', 'SELL', '1', '110', '4'),
      fill('binance', 'a1', 'ETH/USDT', 'BUY', '3', '10', '5'),
    ]) ledger.add(f);
    const [btc, eth] = underlyingExposures(ledger.positions());
    expect(btc).toMatchObject({ underlying: 'BTC', positions: 3 });
    expect(btc!.netQuantity.toFixed()).toBe('1.5');
    expect(btc!.grossQuantity.toFixed()).toBe('2.5');
    expect(Object.fromEntries([...btc!.realizedPnl].map(([c, a]) => [c, a.toFixed()]))).toEqual({ USDT: '0', USD: '10' });
    expect(btc!.fees.get('USDT')?.toFixed()).toBe('2');
    expect(eth!.netQuantity.toFixed()).toBe('3');
  });

  it('marks unrealized PnL at the mid of a book, and has no mark for a one-sided book', () => {
    const ledger = new PositionLedger();
    ledger.add(fill('binance', 'a1', 'BTC/USDT', 'SELL', '2', '100', '1'));
    const book = { venue: 'binance', instrument: 'BTC/USDT', bids: [{ price: '94', quantity: '1' }], asks: [{ price: '96', quantity: '1' }] };
    const mark = midPrice(book)!;
    expect(mark.toFixed()).toBe('95');
    expect(unrealizedPnl(ledger.positions()[0]!, mark).toFixed()).toBe('10');
    expect(midPrice({ ...book, asks: [] })).toBeNull();
  });
});
