import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PERPETUAL_MARKETS } from '../markets.ts';
import { MatchingEngine } from './MatchingEngine.ts';
import { PerpetualRejection } from './PerpetualRejection.ts';
import { Perpetuals, type Income } from './Perpetuals.ts';
import type { EngineEvent, OrderRequest, Side } from './types.ts';

const d = (value: string) => new Decimal(value);
const SYMBOL = 'BTCUSDT';

/** A perpetual engine with fees (maker 0.02%, taker 0.05%) and USDT wallets; carol quotes 63900 / 64100 so the mark is 64000. */
function venue(wallets: Record<string, string>, fees = { maker: '0.0002', taker: '0.0005' }) {
  let now = 1_700_000_000_000;
  const clock = () => now++;
  const perpetuals = new Perpetuals({ symbols: DEFAULT_PERPETUAL_MARKETS.map((m) => m.rules.symbol), marginAsset: 'USDT', seed: 7, fundingIntervalMs: 1000, clock });
  const engine = new MatchingEngine({ markets: DEFAULT_PERPETUAL_MARKETS.map((m) => m.rules), fees: { maker: d(fees.maker), taker: d(fees.taker) }, clock, funds: perpetuals.funds });
  for (const [account, amount] of Object.entries({ carol: '1000000', ...wallets })) engine.balances.credit(account, 'USDT', d(amount));
  engine.place(order('carol', 'BUY', '10', '63900'));
  engine.place(order('carol', 'SELL', '10', '64100'));
  return { engine, perpetuals };
}

function order(account: string, side: Side, quantity: string, price?: string): OrderRequest {
  return price === undefined
    ? { account, symbol: SYMBOL, side, type: 'MARKET', quantity: d(quantity) }
    : { account, symbol: SYMBOL, side, type: 'LIMIT', timeInForce: 'GTC', quantity: d(quantity), price: d(price) };
}

/** `maker` rests at `price`, `taker` takes it: one trade between them. */
function trade(engine: MatchingEngine, maker: string, taker: string, makerSide: Side, quantity: string, price: string): void {
  engine.place(order(maker, makerSide, quantity, price));
  engine.place(order(taker, makerSide === 'BUY' ? 'SELL' : 'BUY', quantity, price));
}

function rejection(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof PerpetualRejection) return error.reason;
    throw error;
  }
  return 'accepted';
}

const text = (value: Decimal) => value.toFixed();

describe('Perpetuals', () => {
  it('moves the position, never base balances: VWAP entry, realized PnL on reducing and flipping, fees in USDT', () => {
    const { engine, perpetuals } = venue({ alice: '100000', bob: '100000' });
    trade(engine, 'bob', 'alice', 'SELL', '0.1', '64000');
    trade(engine, 'bob', 'alice', 'SELL', '0.3', '64050');
    expect([text(perpetuals.positions.get('alice', SYMBOL).amount), text(perpetuals.positions.get('alice', SYMBOL).entryPrice)]).toEqual(['0.4', '64037.5']);
    expect([text(perpetuals.positions.get('bob', SYMBOL).amount), text(perpetuals.positions.get('bob', SYMBOL).entryPrice)]).toEqual(['-0.4', '64037.5']);
    // Reduce 0.1 at 64087.5: realized 0.1 × 50 = 5; the entry stays.
    trade(engine, 'bob', 'alice', 'BUY', '0.1', '64087.5');
    expect(text(perpetuals.positions.get('alice', SYMBOL).entryPrice)).toBe('64037.5');
    // Sell 0.5 at 64000: closes 0.3 (realized 0.3 × −37.5 = −11.25) and opens a 0.2 short at 64000.
    trade(engine, 'bob', 'alice', 'BUY', '0.5', '64000');
    const position = perpetuals.positions.get('alice', SYMBOL);
    expect([text(position.amount), text(position.entryPrice)]).toEqual(['-0.2', '64000']);
    const taker = d('0.1').times('64000').plus(d('0.3').times('64050')).plus(d('0.1').times('64087.5')).plus(d('0.5').times('64000')).times('0.0005');
    expect(text(engine.balances.get('alice', 'USDT').free)).toBe(text(d('100000').plus(5).minus('11.25').minus(taker)));
    expect(engine.balances.get('alice', 'BTC').free.isZero()).toBe(true);
    expect(perpetuals.income('alice').map((i) => [i.incomeType, text(i.income)]).filter(([type]) => type === 'REALIZED_PNL')).toEqual([
      ['REALIZED_PNL', '5'],
      ['REALIZED_PNL', '-11.25'],
    ]);
  });

  it('refuses an order whose opening part needs more initial margin than is available; reducing needs none', () => {
    const { engine, perpetuals } = venue({ alice: '100', bob: '100000' }, { maker: '0', taker: '0' });
    // 0.02 × 64000 / 20 = 64 fits in 100; a second one (128 in all) does not.
    engine.place(order('alice', 'BUY', '0.02', '64000'));
    expect(rejection(() => engine.place(order('alice', 'BUY', '0.02', '64000')))).toBe('MARGIN_INSUFFICIENT');
    perpetuals.positions.setLeverage('alice', SYMBOL, 50);
    expect(rejection(() => engine.place(order('alice', 'BUY', '0.02', '64000')))).toBe('accepted');
    // A market order's margin is taken at the mark (the mid, 64050 now): 0.1 × 64050 / 50 > 100 − 2 × 25.6.
    expect(rejection(() => engine.place(order('alice', 'BUY', '0.1')))).toBe('MARGIN_INSUFFICIENT');
    // Bob takes both bids: a 0.04 long at 64000 holds 0.04 × 64000 / 50 = 51.2 of the 100.
    engine.place(order('bob', 'SELL', '0.04', '64000'));
    expect(text(perpetuals.risk('alice').availableBalance)).toBe('48.8');
    // Selling up to the position only reduces it and needs no margin; beyond it, the opening 0.16 needs 0.16 × 64050 / 50 = 204.96.
    expect(rejection(() => engine.place(order('alice', 'SELL', '0.04', '64050')))).toBe('accepted');
    expect(rejection(() => engine.place(order('alice', 'SELL', '0.2', '64050')))).toBe('MARGIN_INSUFFICIENT');
  });

  it('refuses reduce-only orders that would open, add to or flip the position', () => {
    const { engine, perpetuals } = venue({ alice: '100000', bob: '100000' });
    expect(rejection(() => perpetuals.place(order('alice', 'SELL', '0.1'), true))).toBe('REDUCE_ONLY_REJECTED');
    trade(engine, 'bob', 'alice', 'SELL', '0.1', '64000');
    expect(rejection(() => perpetuals.place(order('alice', 'BUY', '0.1'), true))).toBe('REDUCE_ONLY_REJECTED');
    expect(rejection(() => perpetuals.place(order('alice', 'SELL', '0.2'), true))).toBe('REDUCE_ONLY_REJECTED');
    const placed = perpetuals.place(order('alice', 'SELL', '0.1'), true);
    expect([placed.status, perpetuals.isReduceOnly(placed.orderId), perpetuals.positions.get('alice', SYMBOL).amount.isZero()]).toEqual(['FILLED', true, true]);
  });

  it('reports the liquidation price by the one-way formula, cross and isolated', () => {
    const { engine, perpetuals } = venue({ alice: '1000', bob: '1000' }, { maker: '0', taker: '0' });
    trade(engine, 'bob', 'alice', 'SELL', '0.1', '64000');
    const [long] = perpetuals.risk('alice').positions;
    const [short] = perpetuals.risk('bob').positions;
    // Cross long: (1000 − 0.1 × 64000) / (0.1 × 0.004 − 0.1); short: (1000 + 6400) / (0.1 × 0.004 + 0.1).
    expect([text(long!.liquidationPrice), text(short!.liquidationPrice)]).toEqual(['54216.86746988', '73705.17928287']);
    expect([text(long!.markPrice), text(long!.initialMargin), text(long!.maintMargin)]).toEqual(['64000', '320', '25.6']);
    // Isolated at 20×: the wallet behind it is 0.1 × 64000 / 20 = 320.
    engine.place(order('bob', 'BUY', '0.1', '64000'));
    engine.place(order('alice', 'SELL', '0.1', '64000'));
    perpetuals.positions.setMarginType('alice', SYMBOL, 'ISOLATED');
    trade(engine, 'bob', 'alice', 'SELL', '0.1', '64000');
    const [isolated] = perpetuals.risk('alice').positions;
    expect([text(isolated!.isolatedWallet), text(isolated!.liquidationPrice)]).toEqual(['320', '61044.17670683']);
    expect(rejection(() => perpetuals.positions.setMarginType('alice', SYMBOL, 'CROSSED'))).toBe('MARGIN_TYPE_WITH_POSITION');
    expect(rejection(() => perpetuals.positions.setMarginType('bob', SYMBOL, 'CROSSED'))).toBe('MARGIN_TYPE_UNCHANGED');
    expect(rejection(() => perpetuals.positions.setLeverage('bob', SYMBOL, 126))).toBe('INVALID_LEVERAGE');
    expect(rejection(() => perpetuals.positions.setLeverage('bob', SYMBOL, 0))).toBe('INVALID_LEVERAGE');
  });

  it('liquidates a long once the mark reaches its liquidation price: its orders canceled, then closed by an IOC at the bankruptcy price or better', () => {
    const { engine, perpetuals } = venue({ alice: '1000', bob: '1000000' });
    // A cross 20× long of 0.2 at 64100 (taker fee 0.2 × 64100 × 0.0005 = 6.41), and a resting order on the symbol.
    engine.place(order('alice', 'BUY', '0.2', '64100'));
    engine.place(order('alice', 'SELL', '0.1', '65000'));
    const [long] = perpetuals.risk('alice').positions;
    // LP = (993.59 − 0.2 × 64100) / (0.2 × 0.004 − 0.2); BP = 64100 − 993.59 / 0.2.
    expect([text(long!.liquidationPrice), text(long!.bankruptcyPrice)]).toEqual(['59369.52811245', '59132.05']);
    const events: EngineEvent[] = [];
    engine.onEvents((batch) => events.push(...batch.filter((event) => event.kind === 'order' && event.order.account === 'alice')));
    // Carol's bid leaves (mark: the best ask, 64100), bob bids 59200 (mark 61650), then asks 59300: the mark, 59250, is past the LP.
    engine.cancel('carol', SYMBOL, { orderId: engine.openOrders('carol', SYMBOL).find((o) => o.side === 'BUY')!.orderId });
    engine.place(order('bob', 'BUY', '0.2', '59200'));
    expect(perpetuals.positions.get('alice', SYMBOL).amount.isZero()).toBe(false);
    engine.place(order('bob', 'SELL', '0.2', '59300'));
    expect(perpetuals.positions.get('alice', SYMBOL).amount.isZero()).toBe(true);
    expect(engine.openOrders('alice', SYMBOL)).toEqual([]);
    // The resting order is canceled first; the liquidation, a SELL LIMIT IOC at BP on the tick above, takes bob's bid at 59200.
    const liquidation = engine.allOrders('alice', SYMBOL).at(-1)!;
    expect(events.map((event) => event.kind === 'order' && [event.order.orderId, event.execution, event.order.status])).toEqual([
      [engine.allOrders('alice', SYMBOL)[1]!.orderId, 'CANCELED', 'CANCELED'],
      [liquidation.orderId, 'NEW', 'NEW'],
      [liquidation.orderId, 'TRADE', 'FILLED'],
    ]);
    expect([liquidation.side, liquidation.type, liquidation.timeInForce, text(liquidation.price), text(liquidation.executedQuantity), liquidation.status]).toEqual([
      'SELL', 'LIMIT', 'IOC', '59132.1', '0.2', 'FILLED',
    ]);
    expect(liquidation.clientOrderId).toMatch(/^autoclose-\d{19}$/);
    expect(perpetuals.liquidations.isLiquidation(liquidation)).toBe(true);
    // Realized 0.2 × (59200 − 64100) = −980, taker fee 0.2 × 59200 × 0.0005 = 5.92: 1000 − 6.41 − 980 − 5.92.
    const [trade] = engine.ownExecutions('alice', SYMBOL).filter((e) => e.orderId === liquidation.orderId);
    expect([text(trade!.trade.price), text(perpetuals.realizedPnl(liquidation.orderId, trade!.trade.tradeId)), text(trade!.commission)]).toEqual(['59200', '-980', '5.92']);
    expect(text(engine.balances.get('alice', 'USDT').free)).toBe('7.67');
    expect(perpetuals.risk('alice').positions.map((p) => text(p.position.amount))).toEqual(['0']);
  });

  it('settles funding: position × mark × rate, longs pay a positive rate to shorts, each payment its own income', () => {
    const { engine, perpetuals } = venue({ alice: '100000', bob: '100000' });
    trade(engine, 'bob', 'alice', 'SELL', '0.25', '64000');
    const before = { alice: engine.balances.get('alice', 'USDT').free, bob: engine.balances.get('bob', 'USDT').free };
    const pushed: Income[][] = [];
    perpetuals.onFunding((payments) => pushed.push(payments));
    perpetuals.setFundingRate(SYMBOL, d('0.0001'));
    perpetuals.settleFunding();
    perpetuals.setFundingRate(SYMBOL, d('-0.0003'));
    perpetuals.settleFunding();
    const funding = (account: string) => perpetuals.income(account).filter((i) => i.incomeType === 'FUNDING_FEE');
    // 0.25 × 64000 × 0.0001 = 1.6, then × −0.0003 = −4.8.
    expect(funding('alice').map((i) => text(i.income))).toEqual(['-1.6', '4.8']);
    expect(funding('bob').map((i) => text(i.income))).toEqual(['1.6', '-4.8']);
    expect(text(engine.balances.get('alice', 'USDT').free.minus(before.alice))).toBe('3.2');
    expect(text(engine.balances.get('bob', 'USDT').free.minus(before.bob))).toBe('-3.2');
    const ids = [...perpetuals.income('alice'), ...perpetuals.income('bob')].map((i) => i.tranId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(pushed.map((payments) => payments.length)).toEqual([2, 2]);
    expect(perpetuals.funding.history(SYMBOL).map((r) => [text(r.fundingRate), text(r.markPrice)])).toEqual([
      ['0.0001', '64000'],
      ['-0.0003', '64000'],
    ]);
  });

  it('starts each symbol at a funding rate from its seeded premium, the same for the same seed', () => {
    const rates = (seed: number) => new Perpetuals({ symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], marginAsset: 'USDT', seed, fundingIntervalMs: 1, clock: () => 0 }).funding;
    const texts = (seed: number) => ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].map((symbol) => text(rates(seed).rate(symbol)));
    expect(texts(3)).toEqual(texts(3));
    expect(texts(3)).not.toEqual(texts(4));
    // F = P + clamp(0.01% − P, ±0.05%) with |P| ≤ 0.1%: F is 0.01%, or P moved 0.05% toward it, so |F| ≤ 0.1%.
    for (const rate of [...texts(3), ...texts(4)]) expect(d(rate).abs().lte('0.001')).toBe(true);
  });
});
