import { Decimal, type RiskDecision } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { fill, killSwitch, orderEvent, place } from './riskFixtures.ts';
import { RiskEngine } from './RiskEngine.ts';
import { parseRiskLimits } from './RiskLimits.ts';

let now = 1_000_000;
function engine(config: Record<string, unknown>, marks: Record<string, string> = { 'BTC/USDT': '100' }) {
  const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', ...config }), () => now);
  for (const [instrument, price] of Object.entries(marks)) risk.setMark(instrument, new Decimal(price));
  return risk;
}
const verdict = (decision: RiskDecision) => ({ decision: decision.decision, rule: decision.rule, limit: decision.limit, value: decision.value });
const approved = { decision: 'APPROVED', rule: 'all', limit: null, value: null };
const account = (limits: Record<string, unknown>) => ({ accounts: { 'binance|main': limits } });

describe('RiskEngine: every rule trips and passes', () => {
  it('min and max order quantity', () => {
    const risk = engine(account({ minOrderQuantity: '0.5', maxOrderQuantity: '2' }));
    expect(verdict(risk.check(place({ quantity: '0.4' })))).toEqual({ decision: 'REJECTED', rule: 'account.min_order_quantity', limit: '0.5', value: '0.4' });
    expect(verdict(risk.check(place({ quantity: '2.5' })))).toEqual({ decision: 'REJECTED', rule: 'account.max_order_quantity', limit: '2', value: '2.5' });
    expect(verdict(risk.check(place({ quantity: '2' })))).toEqual(approved);
  });

  it('max order notional, valued in the limits currency through a conversion path', () => {
    const risk = engine({ currency: 'USD', portfolio: { maxOrderNotional: '199' } }, { 'BTC/USDT': '100', 'USDT/USD': '0.99' });
    expect(verdict(risk.check(place({ quantity: '2.1', limitPrice: '100' })))).toEqual({ decision: 'REJECTED', rule: 'portfolio.order_notional', limit: '199', value: '207.9' });
    expect(verdict(risk.check(place({ quantity: '2', limitPrice: '100' })))).toEqual(approved);
    expect(verdict(risk.check(place({ quantity: '2', orderType: 'MARKET', limitPrice: null })))).toEqual(approved);
    expect(risk.check(place({ instrument: 'ETH/EUR', limitPrice: '1' }))).toMatchObject({ decision: 'REJECTED', rule: 'portfolio.order_notional', value: null });
  });

  it('price band against the mid (fat finger), and no mid means no order', () => {
    const risk = engine(account({ priceBand: '0.05' }), { 'BTC/USDT': '100', 'ETH/USDT': '10' });
    expect(verdict(risk.check(place({ limitPrice: '106' })))).toEqual({ decision: 'REJECTED', rule: 'account.price_band', limit: '0.05', value: '0.06' });
    expect(verdict(risk.check(place({ limitPrice: '95' })))).toEqual(approved);
    expect(risk.check(place({ instrument: 'SOL/USDT', limitPrice: '1' }))).toMatchObject({ decision: 'REJECTED', rule: 'account.price_band', value: null });
  });

  it('max position per instrument counts open orders before they fill, and always lets a position shrink', () => {
    const risk = engine(account({ maxPositionPerInstrument: '3' }));
    risk.applyFill(fill({ quantity: '1' }));
    expect(verdict(risk.check(place({ quantity: '1.5' })))).toEqual(approved);
    expect(verdict(risk.check(place({ quantity: '1' })))).toEqual({ decision: 'REJECTED', rule: 'account.max_position_instrument', limit: '3', value: '3.5' });
    expect(verdict(risk.check(place({ quantity: '0.5' })))).toEqual(approved);
    expect(verdict(risk.check(place({ side: 'SELL', quantity: '4' })))).toEqual(approved);
  });

  it('counts a fill delivered twice once', () => {
    const risk = engine(account({ maxPositionPerInstrument: '2' }));
    const once = fill({ quantity: '1.5' });
    risk.applyFill(once);
    risk.applyFill({ ...once, eventId: 'redelivered' });
    expect(verdict(risk.check(place({ quantity: '0.5' })))).toEqual(approved);
  });

  it('open-order exposure ends when the venue says the order is done', () => {
    const risk = engine(account({ maxPositionPerInstrument: '2' }));
    const first = place({ quantity: '2' });
    expect(risk.check(first).decision).toBe('APPROVED');
    expect(risk.check(place({ quantity: '1' })).rule).toBe('account.max_position_instrument');
    risk.applyOrderEvent(orderEvent(first, { previousState: 'NEW', state: 'CANCELED', event: 'CANCELED', remainingQuantity: '0' }));
    expect(risk.check(place({ quantity: '1' })).decision).toBe('APPROVED');
  });

  it('max position per instrument at portfolio scope adds up the instrument on every venue and account', () => {
    const risk = engine({ portfolio: { maxPositionPerInstrument: '4' } });
    risk.applyFill(fill({ quantity: '3' }));
    expect(verdict(risk.check(place({ venue: 'okx', account: 'spot', quantity: '1.5' })))).toEqual({ decision: 'REJECTED', rule: 'portfolio.max_position_instrument', limit: '4', value: '4.5' });
    expect(verdict(risk.check(place({ venue: 'okx', account: 'spot', quantity: '1' })))).toEqual(approved);
  });

  it('max position per underlying across venues and instruments', () => {
    const risk = engine({ portfolio: { maxPositionPerUnderlying: '5' } }, { 'BTC/USDT': '100', 'BTC/USDT:USDT': '100' });
    risk.applyFill(fill({ quantity: '3' }));
    risk.applyFill(fill({ venue: 'okx', account: 'perp', instrument: 'BTC/USDT:USDT', quantity: '1.5' }));
    expect(verdict(risk.check(place({ venue: 'okx', account: 'perp', instrument: 'BTC/USDT:USDT', quantity: '1' })))).toEqual({ decision: 'REJECTED', rule: 'portfolio.max_position_underlying', limit: '5', value: '5.5' });
    expect(verdict(risk.check(place({ venue: 'okx', account: 'perp', instrument: 'BTC/USDT:USDT', quantity: '0.5' })))).toEqual(approved);
  });

  it('max gross exposure', () => {
    const risk = engine({ portfolio: { maxGrossExposure: '1000' } }, { 'BTC/USDT': '100', 'ETH/USDT': '10' });
    risk.applyFill(fill({ quantity: '5' }));
    risk.applyFill(fill({ instrument: 'ETH/USDT', side: 'SELL', quantity: '40', price: '10' }));
    expect(verdict(risk.check(place({ quantity: '1.5' })))).toEqual({ decision: 'REJECTED', rule: 'portfolio.max_gross_exposure', limit: '1000', value: '1050' });
    expect(verdict(risk.check(place({ quantity: '1' })))).toEqual(approved);
  });

  it('max net exposure lets a hedge through that gross would count', () => {
    const risk = engine({ portfolio: { maxNetExposure: '600' } }, { 'BTC/USDT': '100', 'BTC/USDT:USDT': '100' });
    risk.applyFill(fill({ quantity: '5' }));
    expect(verdict(risk.check(place({ quantity: '2' })))).toEqual({ decision: 'REJECTED', rule: 'portfolio.max_net_exposure', limit: '600', value: '700' });
    expect(verdict(risk.check(place({ venue: 'okx', account: 'perp', instrument: 'BTC/USDT:USDT', side: 'SELL', quantity: '5' })))).toEqual(approved);
  });

  it('drawdown stop: below the limit only risk-reducing orders pass', () => {
    const risk = engine({ portfolio: { maxDrawdown: '50' } }, { 'BTC/USDT': '100' });
    risk.applyFill(fill({ quantity: '2', price: '100' }));
    expect(verdict(risk.check(place({ quantity: '1' })))).toEqual(approved);
    risk.setMark('BTC/USDT', new Decimal('70'));
    expect(verdict(risk.check(place({ quantity: '0.1', limitPrice: '70' })))).toEqual({ decision: 'REJECTED', rule: 'portfolio.drawdown', limit: '-50', value: '-60' });
    expect(verdict(risk.check(place({ side: 'SELL', quantity: '1', limitPrice: '70' })))).toEqual(approved);
  });

  it('values every scope with a drawdown stop at the marks, without an order to check', () => {
    const risk = engine({ portfolio: { maxDrawdown: '50' }, ...account({ maxDrawdown: '10' }) }, { 'BTC/USDT': '100' });
    risk.applyFill(fill({ quantity: '2', price: '100' }));
    risk.setMark('BTC/USDT', new Decimal('80'));
    const shown = () => risk.drawdowns().map(({ scope, pnl, floor, below }) => `${scope} ${pnl.toFixed()} ${floor.toFixed()} ${below}`);
    expect(shown()).toEqual(['portfolio desk -40 -50 false', 'account binance|main -40 -10 true']);
    risk.setMark('BTC/USDT', new Decimal('74'));
    expect(shown()).toEqual(['portfolio desk -52 -50 true', 'account binance|main -52 -10 true']);
  });

  it('reduce-only must shrink the position, counting other reduce-only orders', () => {
    const risk = engine({});
    expect(verdict(risk.check(place({ side: 'SELL', reduceOnly: true })))).toEqual({ decision: 'REJECTED', rule: 'reduce_only', limit: '0', value: '1' });
    risk.applyFill(fill({ quantity: '2' }));
    expect(verdict(risk.check(place({ side: 'BUY', reduceOnly: true })))).toEqual({ decision: 'REJECTED', rule: 'reduce_only', limit: '0', value: '1' });
    expect(verdict(risk.check(place({ side: 'SELL', quantity: '1.5', reduceOnly: true })))).toEqual(approved);
    expect(verdict(risk.check(place({ side: 'SELL', quantity: '1', reduceOnly: true })))).toEqual({ decision: 'REJECTED', rule: 'reduce_only', limit: '2', value: '2.5' });
  });

  it('order rate per account, in a sliding window on the injected clock', () => {
    const risk = engine({ rateWindowMs: 1000, ...account({ maxOrdersPerWindow: 2 }) });
    now = 5_000;
    expect(risk.check(place()).decision).toBe('APPROVED');
    now = 5_600;
    expect(risk.check(place()).decision).toBe('APPROVED');
    expect(verdict(risk.check(place()))).toEqual({ decision: 'REJECTED', rule: 'account.order_rate', limit: '2', value: '3' });
    now = 6_000;
    expect(risk.check(place()).decision).toBe('APPROVED');
  });

  it('counts an order in the rate when it was asked for: a backlog worked through at once is not a burst', () => {
    const risk = engine({ rateWindowMs: 1000, ...account({ maxOrdersPerWindow: 1 }) });
    now = 10_000;
    expect(risk.check(place(), 8_000).decision).toBe('APPROVED');
    expect(risk.check(place(), 9_100).decision).toBe('APPROVED');
    expect(verdict(risk.check(place(), 9_500))).toEqual({ decision: 'REJECTED', rule: 'account.order_rate', limit: '1', value: '2' });
    // Never later than now: a clock ahead of ours does not push an order out of the window.
    expect(risk.check(place(), 99_000).decision).toBe('REJECTED');
  });

  it('an order adopted after a restart counts in the rate at the time it was made', () => {
    const risk = engine({ rateWindowMs: 1000, ...account({ maxOrdersPerWindow: 1 }) });
    now = 10_000;
    risk.adopt(place({ createdAtMs: 8_000 }));
    expect(risk.check(place()).decision).toBe('APPROVED');
    risk.adopt(place({ createdAtMs: 9_950 }));
    expect(verdict(risk.check(place()))).toEqual({ decision: 'REJECTED', rule: 'account.order_rate', limit: '1', value: '3' });
  });

  it('an order adopted after a restart counts in open exposure until the venue says it is done', () => {
    const risk = engine(account({ maxPositionPerInstrument: '1.5' }));
    const adopted = place({ createdAtMs: 0 });
    risk.adopt(adopted);
    expect(verdict(risk.check(place({ quantity: '1' })))).toEqual({ decision: 'REJECTED', rule: 'account.max_position_instrument', limit: '1.5', value: '2' });
    risk.applyOrderEvent(orderEvent(adopted, { state: 'CANCELED', event: 'CANCELED' }));
    expect(verdict(risk.check(place({ quantity: '1' })))).toEqual(approved);
  });

  it('order rate per portfolio, across accounts and venues', () => {
    const risk = engine({ portfolio: { maxOrdersPerWindow: 2 } });
    expect(risk.check(place({ account: 'a' })).decision).toBe('APPROVED');
    expect(risk.check(place({ venue: 'okx' })).decision).toBe('APPROVED');
    expect(verdict(risk.check(place({ account: 'c' })))).toEqual({ decision: 'REJECTED', rule: 'portfolio.order_rate', limit: '2', value: '3' });
    expect(risk.check(place({ portfolio: 'other' })).decision).toBe('APPROVED');
  });

  it('order rate per venue, across accounts', () => {
    const risk = engine({ maxOrdersPerVenuePerWindow: 2 });
    expect(risk.check(place({ account: 'a' })).decision).toBe('APPROVED');
    expect(risk.check(place({ account: 'b' })).decision).toBe('APPROVED');
    expect(verdict(risk.check(place({ account: 'c' })))).toEqual({ decision: 'REJECTED', rule: 'venue.order_rate', limit: '2', value: '3' });
    expect(risk.check(place({ account: 'c', venue: 'okx' })).decision).toBe('APPROVED');
  });

  it('checks an amend as the change it makes to the open order', () => {
    const risk = engine(account({ maxPositionPerInstrument: '3' }));
    const order = place({ quantity: '2' });
    risk.check(order);
    expect(verdict(risk.check(place({ ...order, commandId: 'amend-up', type: 'AMEND', newQuantity: '4' })))).toEqual({ decision: 'REJECTED', rule: 'account.max_position_instrument', limit: '3', value: '4' });
    expect(verdict(risk.check(place({ ...order, commandId: 'amend-ok', type: 'AMEND', newQuantity: '3' })))).toEqual(approved);
    expect(risk.check(place({ type: 'AMEND', newQuantity: '1' })).rule).toBe('unknown_order');
  });

  it('records the decision as a RiskDecision message', () => {
    const decision = engine(account({ maxOrderQuantity: '1' })).check(place({ commandId: 'c-42', intentId: 'i-42', quantity: '2' }));
    expect(decision).toEqual({
      eventId: 'risk:c-42',
      intentId: 'i-42',
      commandId: 'c-42',
      portfolio: 'desk',
      account: 'main',
      venue: 'binance',
      instrument: 'BTC/USDT',
      decision: 'REJECTED',
      rule: 'account.max_order_quantity',
      limit: '1',
      value: '2',
      message: 'account binance|main: order quantity 2 is above the maximum 1',
      decidedAtMs: now,
    });
  });
});

describe('RiskEngine: kill switches', () => {
  it('a global kill switch stops the very next order, lets cancels through, and releases', () => {
    const risk = engine({});
    expect(risk.check(place()).decision).toBe('APPROVED');
    risk.applyControl(killSwitch({ scope: 'GLOBAL', reason: 'venue outage' }));
    expect(risk.check(place())).toMatchObject({ decision: 'REJECTED', rule: 'kill_switch', message: 'GLOBAL kill switch engaged by ops: venue outage' });
    expect(risk.check(place({ type: 'CANCEL' })).decision).toBe('APPROVED');
    risk.applyControl(killSwitch({ scope: 'GLOBAL', engaged: false }));
    expect(risk.check(place()).decision).toBe('APPROVED');
  });

  it.each([
    ['VENUE', { venue: 'okx' }, { venue: 'okx' }, { venue: 'binance' }],
    ['ACCOUNT', { venue: 'binance', account: 'main' }, { account: 'main' }, { account: 'other' }],
    ['PORTFOLIO', { portfolio: 'desk' }, { portfolio: 'desk' }, { portfolio: 'other' }],
  ] as const)('a %s kill switch blocks its scope only', (scope, target, blocked, free) => {
    const risk = engine({});
    risk.applyControl(killSwitch({ scope, ...target }));
    expect(risk.check(place(blocked)).rule).toBe('kill_switch');
    expect(risk.check(place(free)).decision).toBe('APPROVED');
  });

  it('requests a cancel of every open order in scope when asked to', () => {
    const risk = engine({});
    const onBinance = place({ venue: 'binance' });
    const onOkx = place({ venue: 'okx' });
    risk.check(onBinance);
    risk.check(onOkx);
    const cancels = risk.applyControl(killSwitch({ eventId: 'k-okx', scope: 'VENUE', venue: 'okx', cancelOpenOrders: true }));
    expect(cancels).toEqual([{ ...onOkx, type: 'CANCEL', eventId: `cancel:${onOkx.clientOrderId}:k-okx`, commandId: `cancel:${onOkx.clientOrderId}:k-okx`, createdAtMs: now }]);
    expect(risk.applyControl(killSwitch({ scope: 'VENUE', venue: 'okx', cancelOpenOrders: false }))).toEqual([]);
  });
});
