import { LocalCodec, TOPICS, type BalanceSnapshot, type Fill, type FundingPayment, type FundingRate, type Intent, type IntentStatus } from '@crossvenue/schemas';
import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { oneLevelBook, spotMarket } from '../execution/executionFixtures.ts';
import { midReversion, type MidReversion } from './MidReversion.ts';
import type { Strategy } from './Strategy.ts';
import { StrategyRunner, strategyTopics } from './StrategyRunner.ts';

const logger = createLogger('strategy-test', { level: 'silent' });
const SETTINGS = { instrument: 'BTC/USDT', clip: '0.1', thresholdBps: '10', smoothing: '0.5', maxPosition: '0.1', slippageBps: '5', cooldownMs: 1_000 };

function fillOf(intent: Intent, quantity: string): Fill {
  return {
    eventId: `fill:${intent.intentId}`,
    venue: 'binance',
    account: 'main',
    portfolio: intent.portfolio,
    venueTradeId: `t-${intent.intentId}`,
    clientOrderId: 'c1',
    venueOrderId: 'v1',
    intentId: intent.intentId,
    instrument: intent.instrument,
    side: intent.order!.side,
    price: '100',
    quantity,
    fee: '0',
    feeCurrency: 'USDT',
    liquidity: 'TAKER',
    venueTimeMs: 0,
    receivedAtMs: 0,
    source: 'VENUE',
  };
}

describe('StrategyRunner with the example strategy (MidReversion), on the in-process bus', () => {
  let messages: MessageBus;
  let runner: StrategyRunner | undefined;
  const intents: Intent[] = [];

  beforeEach(async () => {
    intents.length = 0;
    messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
    await messages.prepare([TOPICS.intents, TOPICS.bookSnapshots, TOPICS.fills, TOPICS.orderEvents, TOPICS.intentStatus, TOPICS.symbols, TOPICS.balances, TOPICS.fundingRates, TOPICS.fundingPayments]);
    await messages.subscribe({ groupId: 'observer', topics: [TOPICS.intents], fromBeginning: true, handle: async (batch) => void intents.push(...batch.map(({ value }) => value)) });
  });
  afterEach(async () => runner?.stop());

  const start = async (strategy: Strategy, clock?: () => number) => {
    runner = new StrategyRunner({ messages, strategy, name: 'revert', portfolio: 'alpha', logger, ...(clock && { clock, timers: 'driven' }) });
    await runner.start();
  };
  const book = (venue: string, bid: string, ask: string) => messages.publish(TOPICS.bookSnapshots, [oneLevelBook(venue, { price: ask, quantity: '1' }, { price: bid, quantity: '1' })]);

  it('buys when the consolidated mid falls below its average, through the best ask anywhere, then holds at its position limit', async () => {
    let now = 5_000_000;
    const strategy = midReversion(SETTINGS) as MidReversion;
    await start(strategy, () => now);
    // Two seconds of the run's clock between books: past the cooldown each time.
    const next = async (venue: string, bid: string, ask: string) => {
      now += 2_000;
      await book(venue, bid, ask);
    };
    await next('binance', '99.9', '100.1');
    await next('okx', '99.8', '100.2');
    // The best ask anywhere drops to okx's 99.2: mid 99.55 against an average of 99.775.
    await next('okx', '98.8', '99.2');
    await waitFor('a buy', () => intents.length === 1, 5_000);
    expect(intents[0]).toMatchObject({
      action: 'PLACE',
      portfolio: 'alpha',
      source: 'STRATEGY',
      requestedBy: 'revert',
      instrument: 'BTC/USDT',
      order: { side: 'BUY', amount: '0.1', limitPrice: '99.2496', timeInForce: 'IOC' },
    });
    expect(intents[0]!.intentId).toBe(`revert-${(5_000_000).toString(36)}-0`);

    await messages.publish(TOPICS.fills, [fillOf(intents[0]!, '0.1')]);
    // A fill of another portfolio is not its own.
    await messages.publish(TOPICS.fills, [{ ...fillOf(intents[0]!, '5'), portfolio: 'other', eventId: 'other', side: 'SELL' }]);
    await waitFor('its fill counted', () => strategy.net.eq('0.1'), 5_000);
    // Falling further (mid 99.05): it would buy again, but 0.1 is its limit.
    await next('binance', '98.9', '99.3');
    // Up well above the average (mid 100.55): it sells a clip through okx's bid of 101.8.
    await next('okx', '101.8', '102.2');
    await waitFor('a sell', () => intents.length === 2, 5_000);
    expect(intents.map((intent) => intent.order!.side)).toEqual(['BUY', 'SELL']);
    expect(intents[1]!.order).toMatchObject({ side: 'SELL', amount: '0.1', limitPrice: '101.7491' });
  });

  it('fires timers on the clock it is given, and cancels only what it placed, keyed like its PLACE', async () => {
    let now = 1_000_000;
    const fired: number[] = [];
    let placed = '';
    await start(
      {
        instruments: ['ETH/USDT'],
        timerMs: 1_000,
        onTimer: async (context) => {
          fired.push(context.now());
          if (!placed) placed = await context.place({ instrument: 'ETH/USDT', side: 'SELL', amount: '1', limitPrice: '2000', timeInForce: 'GTC' });
          else await context.cancel(placed);
        },
      },
      () => now,
    );
    await runner!.tick();
    now += 999;
    await runner!.tick();
    expect(fired).toEqual([]);
    now += 1;
    await runner!.tick();
    now += 1_500;
    await runner!.tick();
    expect(fired).toEqual([1_001_000, 1_002_500]);
    await waitFor('the place and the cancel', () => intents.length === 2, 5_000);
    expect(intents.map(({ action, intentId, instrument }) => [action, intentId, instrument])).toEqual([
      ['PLACE', placed, 'ETH/USDT'],
      ['CANCEL', placed, 'ETH/USDT'],
    ]);
  });

  it('tells it the status of its own intents, not of the portfolio\'s others', async () => {
    const seen: IntentStatus[] = [];
    let placed = '';
    await start({ instruments: ['BTC/USDT'], start: async (context) => void (placed = await context.place({ instrument: 'BTC/USDT', side: 'BUY', amount: '0.1' })), onStatus: (status) => void seen.push(status) });
    const status = (intentId: string, portfolio: string, state: IntentStatus['state']): IntentStatus => ({
      eventId: `${intentId}:status:${state}`,
      intentId,
      portfolio,
      instrument: 'BTC/USDT',
      side: 'BUY',
      source: 'STRATEGY',
      state,
      rule: null,
      reason: null,
      requestedQuantity: '0.1',
      filledQuantity: state === 'DONE' ? '0.1' : '0',
      leavesQuantity: state === 'DONE' ? '0' : '0.1',
      averagePrice: state === 'DONE' ? '100' : null,
      fees: [],
      algo: null,
      updatedAtMs: 1,
    });
    await messages.publish(TOPICS.intentStatus, [status(placed, 'alpha', 'WORKING'), status('api-1', 'alpha', 'DONE'), status(placed, 'other', 'DONE'), status(placed, 'alpha', 'DONE')]);
    await waitFor('its two statuses', () => seen.length === 2, 5_000);
    expect(seen.map(({ intentId, state }) => `${intentId} ${state}`)).toEqual([`${placed} WORKING`, `${placed} DONE`]);
  });

  it('reads markets and its portfolio\'s balances when it declares them (the latest per venue and account, summed per venue), from before it started', async () => {
    const balances = (venue: string, account: string, portfolio: string, usdt: string, eventId: string): BalanceSnapshot => ({
      eventId,
      venue,
      account,
      portfolio,
      complete: true,
      balances: [{ asset: 'USDT', free: usdt, locked: '1', total: `${usdt}1` }],
      venueTimeMs: null,
      receivedAtMs: 0,
    });
    await messages.publish(TOPICS.symbols, [{ ...spotMarket('binance'), takerFee: '0.002' }, spotMarket('okx')]);
    await messages.publish(TOPICS.balances, [balances('binance', 'main', 'alpha', '100', 'b1'), balances('binance', 'main', 'alpha', '300', 'b2'), balances('binance', 'hedge', 'alpha', '50', 'b3'), balances('binance', 'main', 'other', '7', 'b4')]);
    let context: Parameters<NonNullable<Strategy['start']>>[0] | undefined;
    const strategy: Strategy = { instruments: ['BTC/USDT'], reads: ['markets', 'balances'], start: (given) => void (context = given), onFill: () => undefined };
    expect(strategyTopics(strategy).map(({ name }) => name)).toEqual(['md.book-snapshots', 'exec.fills', 'ref.symbols', 'state.balances', 'exec.intents']);
    await start(strategy);
    await waitFor('the markets and balances', () => context!.market('okx', 'BTC/USDT') !== undefined && context!.balances('binance').get('USDT')?.free === '350', 5_000);
    expect(context!.market('binance', 'BTC/USDT')?.takerFee).toBe('0.002');
    expect(context!.market('kraken', 'BTC/USDT')).toBeUndefined();
    expect(context!.balances('binance').get('USDT')).toEqual({ asset: 'USDT', free: '350', locked: '2', total: '3502' });
    expect(context!.balances('okx').size).toBe(0);
  });

  it('reads funding rates published from its start on, filling in an interval the venue does not give from the settlement times seen, and hands it its portfolio\'s funding payments', async () => {
    const rate = (rateValue: string, nextFundingTimeMs: number, receivedAtMs: number, fundingIntervalMs: number | null = null): FundingRate => ({
      eventId: `r-${receivedAtMs}`,
      venue: 'binanceusdm',
      instrument: 'BTC/USDT:USDT',
      venueSymbol: 'BTCUSDT',
      rate: rateValue,
      nextFundingTimeMs,
      fundingIntervalMs,
      markPrice: null,
      indexPrice: null,
      venueTimeMs: receivedAtMs,
      receivedAtMs,
    });
    const payment = (portfolio: string, fundingId: string): FundingPayment => ({ eventId: `p-${fundingId}`, venue: 'binanceusdm', account: 'main', portfolio, instrument: 'BTC/USDT:USDT', fundingId, amount: '0.5', currency: 'USDT', venueTimeMs: 0, receivedAtMs: 0 });
    // Published before it starts: funding rates are history, read from the start on.
    await messages.publish(TOPICS.fundingRates, [rate('0.9', 1_000, 1)]);
    let context: Parameters<NonNullable<Strategy['start']>>[0] | undefined;
    const payments: FundingPayment[] = [];
    const strategy: Strategy = { instruments: ['BTC/USDT:USDT'], reads: ['funding'], start: (given) => void (context = given), onFundingPayment: (paid) => void payments.push(paid) };
    expect(strategyTopics(strategy).map(({ name }) => name)).toEqual(['md.book-snapshots', 'exec.funding-payments', 'md.funding-rates', 'exec.intents']);
    await start(strategy);
    await messages.publish(TOPICS.fundingRates, [rate('0.0001', 28_800_000, 10)]);
    await waitFor('the rate', () => context!.fundingRate('binanceusdm', 'BTC/USDT:USDT') !== undefined, 5_000);
    expect(context!.fundingRate('binanceusdm', 'BTC/USDT:USDT')).toMatchObject({ rate: '0.0001', fundingIntervalMs: null });
    // The next settlement time moves on by 8 hours: that is its interval.
    await messages.publish(TOPICS.fundingRates, [rate('0.0002', 57_600_000, 20)]);
    await waitFor('the next rate', () => context!.fundingRate('binanceusdm', 'BTC/USDT:USDT')?.rate === '0.0002', 5_000);
    expect(context!.fundingRate('binanceusdm', 'BTC/USDT:USDT')?.fundingIntervalMs).toBe(28_800_000);
    // A venue's own interval stands.
    await messages.publish(TOPICS.fundingRates, [rate('0.0003', 72_000_000, 30, 14_400_000)]);
    await waitFor('the venue\'s interval', () => context!.fundingRate('binanceusdm', 'BTC/USDT:USDT')?.fundingIntervalMs === 14_400_000, 5_000);
    await messages.publish(TOPICS.fundingPayments, [payment('other', 'f1'), payment('alpha', 'f2')]);
    await waitFor('its portfolio\'s payment', () => payments.length > 0, 5_000);
    expect(payments.map(({ fundingId }) => fundingId)).toEqual(['f2']);
  });

  it('refuses what it cannot do, with the reason', async () => {
    expect(() => midReversion({ ...SETTINGS, size: '1' })).toThrow('strategy settings: unknown size');
    expect(() => midReversion({ ...SETTINGS, instrument: undefined })).toThrow('strategy settings instrument: required, the unified symbol it trades');
    expect(() => midReversion({ ...SETTINGS, clip: 0.1 })).toThrow('strategy settings clip: got the number 0.1');
    expect(() => midReversion({ ...SETTINGS, smoothing: '2' })).toThrow('strategy settings smoothing: must be at most 1');
    expect(() => new StrategyRunner({ messages, strategy: { instruments: ['BTC/USDT'], timerMs: 0.5 }, name: 'x', portfolio: 'alpha', logger })).toThrow('timerMs must be a positive whole number');
    expect(() => new StrategyRunner({ messages, strategy: { instruments: ['BTC/USDT'] }, name: '-bad', portfolio: 'alpha', logger })).toThrow('invalid intent id');
    let context: Parameters<NonNullable<Strategy['start']>>[0] | undefined;
    await start({ instruments: ['BTC/USDT'], start: (given) => void (context = given) });
    await expect(context!.place({ instrument: 'ETH/USDT', side: 'BUY', amount: '1' })).rejects.toThrow('ETH/USDT is not one of its instruments');
    await expect(context!.place({ instrument: 'BTC/USDT', side: 'BUY', amount: '0' })).rejects.toThrow('amount must be positive');
    await expect(context!.place({ instrument: 'BTC/USDT', side: 'BUY', amount: '1', timeInForce: 'GTC' })).rejects.toThrow('a market order cannot rest');
    await expect(context!.cancel('someone-else-1')).rejects.toThrow('an intent it did not place');
    expect(() => context!.market('binance', 'BTC/USDT')).toThrow("reading markets needs reads: ['markets'] on the strategy");
    expect(() => context!.balances('binance')).toThrow("reading balances needs reads: ['balances'] on the strategy");
    expect(() => context!.fundingRate('binanceusdm', 'BTC/USDT:USDT')).toThrow("reading funding needs reads: ['funding'] on the strategy");
    expect(intents).toEqual([]);
  });
});
