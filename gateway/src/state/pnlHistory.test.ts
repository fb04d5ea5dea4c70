import { TOPICS, type BookSnapshot, type Position } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { LiveState } from '../LiveState.ts';
import { PnlHistory } from './pnlHistory.ts';

const example = <T>(schema: unknown) => EXAMPLES.find((e) => e.schema === schema)!.value as T;

function book(venue: string, instrument: string, bid: string, ask: string): BookSnapshot {
  return { ...example<BookSnapshot>(TOPICS.bookSnapshots.schema), venue, instrument, bids: [{ price: bid, quantity: '1' }], asks: [{ price: ask, quantity: '1' }] };
}

function position(portfolio: string, instrument: string, fields: Partial<Position>): Position {
  return { ...example<Position>(TOPICS.positions.schema), portfolio, venue: 'v1', account: 'main', instrument, quoteCurrency: 'USDT', unrealizedPnl: null, markPrice: null, ...fields };
}

describe('PnlHistory', () => {
  it('samples each portfolio at the books\' mids, at most once an interval, and keeps the newest points', () => {
    let now = 1_000_000;
    const state = new LiveState();
    const history = new PnlHistory(state, () => now, { intervalMs: 1_000, capacity: 2 });
    expect(history.report().portfolios).toEqual([]);

    state.record(TOPICS.bookSnapshots.name, book('v1', 'BTC/USDT', '99', '101'));
    // Long 2 BTC from 90, 5 realized, fees of 1 USDT and 0.01 BTC: 5 + 2 × (100 − 90) − (1 + 0.01 × 100) = 23.
    state.record(TOPICS.positions.name, position('alpha', 'BTC/USDT', { quantity: '2', averageEntryPrice: '90', realizedPnl: '5', fees: [{ currency: 'BTC', amount: '0.01' }, { currency: 'USDT', amount: '1' }] }));
    // An open ETH position without an ETH book cannot be marked: that portfolio gets no point rather than a wrong one.
    state.record(TOPICS.positions.name, position('beta', 'ETH/USDT', { quantity: '1', averageEntryPrice: '3000', realizedPnl: '0', fees: [] }));
    now += 500;
    state.record(TOPICS.bookSnapshots.name, book('v1', 'BTC/USDT', '109', '111'));
    expect(history.report().portfolios).toEqual([
      { portfolio: 'alpha', points: [{ atMs: 1_000_000, pnl: '23', realized: '5', unrealized: '20', funding: '0', fees: '2', byUnderlying: { BTC: '23' } }] },
    ]);

    now += 500;
    state.record(TOPICS.bookSnapshots.name, book('v1', 'BTC/USDT', '109', '111'));
    now += 1_000;
    state.record(TOPICS.bookSnapshots.name, book('v1', 'ETH/USDT', '3009', '3011'));
    const { portfolios, valuationCurrency } = history.report('alpha');
    expect(valuationCurrency).toBe('USDT');
    // At a mid of 110 the BTC fee is worth 1.1: 5 + 40 − 2.1; two points kept of three.
    expect(portfolios[0]!.points.map(({ atMs, pnl }) => [atMs, pnl])).toEqual([
      [1_001_000, '42.9'],
      [1_002_000, '42.9'],
    ]);
    expect(history.report('beta').portfolios[0]!.points.map(({ pnl, byUnderlying }) => [pnl, byUnderlying])).toEqual([['10', { ETH: '10' }]]);
  });

  it('counts a perpetual\'s funding in its PnL: paid lowers it, received raises it', () => {
    let now = 2_000_000;
    const state = new LiveState();
    const history = new PnlHistory(state, () => now, { intervalMs: 1_000, capacity: 10 });
    state.record(TOPICS.bookSnapshots.name, book('v1', 'BTC/USDT:USDT', '99', '101'));
    // Long 1 contract from 90 (10 unrealized), 3.5 USDT of funding paid, no fees: 6.5.
    state.record(TOPICS.positions.name, position('perp', 'BTC/USDT:USDT', { quantity: '1', averageEntryPrice: '90', realizedPnl: '0', fees: [], funding: '-3.5' }));
    now += 1_000;
    state.record(TOPICS.bookSnapshots.name, book('v1', 'BTC/USDT:USDT', '99', '101'));
    expect(history.report('perp').portfolios[0]!.points.at(-1)).toMatchObject({ pnl: '6.5', unrealized: '10', funding: '-3.5', byUnderlying: { BTC: '6.5' } });
  });
});
