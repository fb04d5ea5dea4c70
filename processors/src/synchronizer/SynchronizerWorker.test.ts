import { LocalCodec, TOPICS, type Alert, type IntentStatus, type BookSnapshot, type ControlCommand, type Fill, type Intent, type OrderEvent, type Position, type SyncDecision } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { FollowerConfig } from './FollowerConfig.ts';
import { follower as aFollower, symbolMetadata } from './syncFixtures.ts';
import { formatFollower } from './FollowerConfig.ts';
import { followerKey, pauseKey } from './followerCommands.ts';
import { SynchronizerWorker } from './SynchronizerWorker.ts';

const logger = createLogger('test', { level: 'silent' });
const exampleOf = <T>(topic: { schema: unknown }) => EXAMPLES.find(({ schema }) => schema === topic.schema)!.value as T;
const LEADER = { venue: 'binance', account: 'leader', portfolio: 'lead' };

function fill(id: string, side: 'BUY' | 'SELL', quantity: string, overrides: Partial<Fill> = {}): Fill {
  return { ...exampleOf<Fill>(TOPICS.fills), ...LEADER, eventId: `fill-${id}-${Math.random()}`, venueTradeId: id, intentId: null, clientOrderId: `web-${id}`, instrument: 'BTC/USDT', side, quantity, price: '50000', ...overrides };
}

function orderEvent(clientOrderId: string, overrides: Partial<OrderEvent>): OrderEvent {
  return { ...exampleOf<OrderEvent>(TOPICS.orderEvents), ...LEADER, eventId: `oe-${clientOrderId}-${Math.random()}`, clientOrderId, intentId: `lead-${clientOrderId}`, instrument: 'BTC/USDT', side: 'BUY', ...overrides };
}

function position(venue: string, account: string, portfolio: string, quantity: string): Position {
  return { ...exampleOf<Position>(TOPICS.positions), venue, account, portfolio, instrument: 'BTC/USDT', quantity, lastFill: null, eventId: `pos-${Math.random()}` };
}

function book(venue: string, bid: string, ask: string): BookSnapshot {
  return { ...exampleOf<BookSnapshot>(TOPICS.bookSnapshots), venue, instrument: 'BTC/USDT', bids: [{ price: bid, quantity: '5' }], asks: [{ price: ask, quantity: '5' }] };
}

describe('SynchronizerWorker on the in-process bus', () => {
  let now = 1_000_000;
  let worker: SynchronizerWorker | undefined;
  let messages: MessageBus;
  const intents: Intent[] = [];
  const decisions: SyncDecision[] = [];
  const alerts: Alert[] = [];

  afterEach(async () => {
    await worker?.stop();
    intents.length = 0;
    decisions.length = 0;
    alerts.length = 0;
  });

  async function start(followers: FollowerConfig[]) {
    messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
    const topics = [TOPICS.symbols, TOPICS.positions, TOPICS.balances, TOPICS.controlCommands, TOPICS.bookSnapshots, TOPICS.fills, TOPICS.orderEvents, TOPICS.intentStatus, TOPICS.intents, TOPICS.syncDecisions, TOPICS.alerts];
    await messages.prepare(topics);
    await messages.subscribe({
      groupId: 'observer',
      topics: [TOPICS.intents, TOPICS.syncDecisions, TOPICS.alerts],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.intents.name) intents.push(value as Intent);
          else if (topic === TOPICS.alerts.name) alerts.push(value as Alert);
          else decisions.push(value as SyncDecision);
        }
      },
    });
    await messages.publish(TOPICS.symbols, [symbolMetadata('binance', 'BTC/USDT'), symbolMetadata('bybit', 'BTC/USDT:USDT', { contractSize: '0.01', minQuantity: '0.01', quantityStep: '0.01', minNotional: null })]);
    worker = new SynchronizerWorker({ messages, followers, logger, clock: () => now, tickMs: 3_600_000, settleMs: 1_000, stallMs: 30_000 });
    await worker.start();
    // Each config file follower is audited with its configuration at start; the tests look at what follows.
    await waitFor('the followers announced', () => decisions.filter(({ kind }) => kind === 'CONFIGURE').length === followers.length);
    expect(decisions.filter(({ kind }) => kind === 'CONFIGURE').map(({ follower, reason }) => [follower, reason])).toEqual(followers.map(({ name }) => [name, 'from the config file']));
    decisions.splice(0, decisions.length, ...decisions.filter(({ kind }) => kind !== 'CONFIGURE'));
    await messages.publish(TOPICS.bookSnapshots, [book('binance', '49990', '50010')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  it('copies a leader fill once, however often it is delivered, with the follower\'s account, venue and the leader named', async () => {
    await start([aFollower({ sizing: { mode: 'ratio', ratio: '0.5' } })]);
    const leaderFill = fill('t1', 'BUY', '0.4');
    await messages.publish(TOPICS.fills, [leaderFill, { ...leaderFill, eventId: 'another-event-id-same-trade' }]);
    await waitFor('the copy', () => intents.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const [intent] = intents;
    expect(intent).toMatchObject({ source: 'SYNCHRONIZER', requestedBy: 'binance|leader', portfolio: 'copy', account: 'follower-1', venues: ['binance'], action: 'PLACE' });
    expect(intent!.order).toMatchObject({ side: 'BUY', amount: '0.2', limitPrice: null, timeInForce: 'IOC' });
    expect(intents).toHaveLength(1);
    expect(decisions.map((decision) => decision.kind)).toEqual(['MIRROR']);
    expect(decisions[0]!.leaderEvent).toBe('binance:leader:t1');
  });

  it('skips a copy below the venue minimum with the reason, and trades the accumulated residual once tradable', async () => {
    await start([aFollower({ sizing: { mode: 'ratio', ratio: '0.001' } })]);
    await messages.publish(TOPICS.fills, [fill('s1', 'BUY', '0.6')]);
    await waitFor('a skip', () => decisions.length === 1);
    expect(decisions[0]).toMatchObject({ kind: 'SKIP', residualQuantity: '0.0006' });
    expect(decisions[0]!.reason).toMatch(/below the minimum 0\.001 BTC/);
    expect(intents).toEqual([]);
    await messages.publish(TOPICS.fills, [fill('s2', 'BUY', '0.6')]);
    await waitFor('the residual trade', () => decisions.length === 2);
    expect(decisions[1]).toMatchObject({ kind: 'RESIDUAL_TRADE', quantity: '0.001', residualQuantity: '0.0002' });
    expect(intents.map((intent) => intent.order!.amount)).toEqual(['0.001']);
  });

  it('maps to a perpetual on another venue and sizes in its contracts; refuses nothing it was not asked to map', async () => {
    await start([aFollower({ venue: 'bybit', sizing: { mode: 'notional', notional: '1000' }, instruments: [{ leader: 'BTC/USDT', follower: 'BTC/USDT:USDT' }] })]);
    await messages.publish(TOPICS.fills, [fill('p1', 'BUY', '1', { price: '40000' }), fill('p2', 'BUY', '1', { instrument: 'ETH/USDT' })]);
    await waitFor('two decisions', () => decisions.length === 2);
    // 1000 USDT at the leader's 40000 is 0.025 BTC: two whole contracts of 0.01, the rest residual.
    expect(intents.map((intent) => [intent.instrument, intent.venues, intent.order!.amount])).toEqual([['BTC/USDT:USDT', ['bybit'], '0.02']]);
    expect(decisions[1]).toMatchObject({ kind: 'SKIP', reason: 'ETH/USDT is not in the follower\'s instrument rules' });
  });

  it('mirrors a resting limit order, its amend and its cancel; cancels an orphan after the grace', async () => {
    await start([aFollower({ orphanGraceMs: 5_000 })]);
    await messages.publish(TOPICS.orderEvents, [orderEvent('L1', { state: 'NEW', event: 'ACCEPTED', filledQuantity: '0', remainingQuantity: '1', limitPrice: '49000.005' })]);
    await waitFor('the resting copy', () => intents.length === 1);
    expect(intents[0]!.order).toMatchObject({ timeInForce: 'GTC', limitPrice: '49000', amount: '0.5' });
    await messages.publish(TOPICS.orderEvents, [orderEvent('L1', { state: 'NEW', event: 'AMEND_ACCEPTED', filledQuantity: '0', remainingQuantity: '2', limitPrice: '48000' })]);
    await waitFor('the amend', () => intents.length === 2);
    expect(intents[1]).toMatchObject({ action: 'MODIFY', intentId: intents[0]!.intentId });
    expect(intents[1]!.order).toMatchObject({ limitPrice: '48000', amount: '1' });
    await messages.publish(TOPICS.orderEvents, [orderEvent('L1', { state: 'CANCELED', event: 'CANCELED', remainingQuantity: '0', limitPrice: '48000' })]);
    await waitFor('the cancel', () => intents.length === 3);
    expect(intents[2]).toMatchObject({ action: 'CANCEL', intentId: intents[0]!.intentId });

    // A second resting order fills at the leader; the follower's copy does not: after the grace it is cancelled.
    await messages.publish(TOPICS.orderEvents, [orderEvent('L2', { state: 'NEW', event: 'ACCEPTED', filledQuantity: '0', remainingQuantity: '1', limitPrice: '49000' })]);
    await waitFor('the second resting copy', () => intents.length === 4);
    await messages.publish(TOPICS.fills, [fill('f-L2', 'BUY', '1', { clientOrderId: 'L2', intentId: 'lead-L2', price: '49000' })]);
    await messages.publish(TOPICS.orderEvents, [orderEvent('L2', { state: 'FILLED', event: 'FILLED', filledQuantity: '1', remainingQuantity: '0', limitPrice: '49000' })]);
    await waitFor('the fill decided', () => decisions.some((decision) => decision.leaderEvent === 'binance:leader:f-L2'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(intents).toHaveLength(4);
    await worker!.tick();
    expect(intents).toHaveLength(4);
    now += 5_000;
    await worker!.tick();
    await waitFor('the orphan cancel', () => intents.length === 5);
    expect(intents[4]).toMatchObject({ action: 'CANCEL', intentId: intents[3]!.intentId });
    expect(decisions.at(-1)).toMatchObject({ kind: 'ORPHAN_CANCEL' });
  });

  it('does not mirror a leader stop order resting untriggered, and copies its fill once it triggers', async () => {
    await start([aFollower()]);
    const intent = exampleOf<Intent>(TOPICS.intents);
    await messages.publish(TOPICS.intents, [{ ...intent, intentId: 'lead-S1', account: 'leader', source: 'API', order: { ...intent.order!, limitPrice: '51000', trigger: { type: 'STOP', triggerPrice: '51000' } } }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await messages.publish(TOPICS.orderEvents, [orderEvent('S1', { intentId: 'lead-S1', state: 'NEW', event: 'ACCEPTED', filledQuantity: '0', remainingQuantity: '1', limitPrice: '51000' })]);
    await messages.publish(TOPICS.fills, [fill('f-S1', 'BUY', '1', { clientOrderId: 'S1', intentId: 'lead-S1', price: '51000' })]);
    await waitFor('the fill copied', () => intents.some((copy) => copy.source === 'SYNCHRONIZER'));
    expect(intents.filter((copy) => copy.source === 'SYNCHRONIZER').map((copy) => copy.order!.timeInForce)).toEqual(['IOC']);
  });

  it('corrects a follower that drifted from the target its leader\'s position implies, and only beyond the threshold', async () => {
    await start([aFollower({ sizing: { mode: 'ratio', ratio: '0.5' }, driftThreshold: '0.1' })]);
    await messages.publish(TOPICS.positions, [position('binance', 'leader', 'lead', '2'), position('binance', 'follower-1', 'copy', '0.95')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await worker!.tick();
    expect(intents).toEqual([]);
    await messages.publish(TOPICS.positions, [position('binance', 'follower-1', 'copy', '0.4')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await worker!.tick();
    await waitFor('the correction', () => intents.length === 1);
    expect(intents[0]!.order).toMatchObject({ side: 'BUY', amount: '0.6' });
    expect(decisions.at(-1)).toMatchObject({ kind: 'CORRECTION', targetQuantity: '1', actualQuantity: '0.4', quantity: '0.6' });
    // In flight: no second correction until it settles.
    await worker!.tick();
    expect(intents).toHaveLength(1);
    // The execution side says it expired unfilled: the drift is still there, so another correction
    // goes, once the settle time has passed (a dark venue is not asked every tick).
    await messages.publish(TOPICS.intentStatus, [{ ...exampleOf<IntentStatus>(TOPICS.intentStatus), intentId: intents[0]!.intentId, portfolio: 'copy', state: 'EXPIRED' }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await worker!.tick();
    expect(intents).toHaveLength(1);
    now += 1_000;
    await worker!.tick();
    await waitFor('a second correction', () => intents.length === 2);
    expect(intents[1]!.intentId).not.toBe(intents[0]!.intentId);
  });

  it('pauses and resumes a follower by control command, audited, and keeps a paused follower\'s copies as residual', async () => {
    await start([aFollower()]);
    const command = (value: string): ControlCommand => ({ ...exampleOf<ControlCommand>(TOPICS.controlCommands), eventId: `cc-${value}`, type: 'CONFIG_CHANGE', scope: 'GLOBAL', configKey: pauseKey('copy-1'), configValue: value, issuedBy: 'ops', reason: 'test' });
    await messages.publish(TOPICS.controlCommands, [command('true')]);
    await waitFor('paused', () => worker!.isPaused('copy-1'));
    await messages.publish(TOPICS.fills, [fill('z1', 'BUY', '0.4')]);
    await waitFor('the skip', () => decisions.some((decision) => decision.kind === 'SKIP'));
    expect(intents).toEqual([]);
    expect(worker!.residualOf('copy-1', 'BTC/USDT').toFixed()).toBe('0.2');
    await messages.publish(TOPICS.controlCommands, [command('false')]);
    await waitFor('resumed', () => !worker!.isPaused('copy-1'));
    // The RESUME decision is read back from the bus, after the worker has resumed.
    await waitFor('the resume decision', () => decisions.length === 3);
    expect(decisions.map((decision) => decision.kind)).toEqual(['PAUSE', 'SKIP', 'RESUME']);
  });

  const configCommand = (name: string, value: unknown, eventId = `cfg-${Math.random()}`): ControlCommand => ({
    ...exampleOf<ControlCommand>(TOPICS.controlCommands),
    eventId,
    type: 'CONFIG_CHANGE',
    scope: 'GLOBAL',
    configKey: followerKey(name),
    configValue: value === null ? null : JSON.stringify(value),
    issuedBy: 'ops',
    reason: 'test',
  });
  const entry = { name: 'copy-2', leader: { venue: 'binance', account: 'leader' }, portfolio: 'copy', account: 'follower-2', venue: 'binance', sizing: { mode: 'ratio', ratio: '0.25' } };

  it('adds, replaces and removes a follower by control command, refuses a bad one whole, and keeps them over a restart', async () => {
    await start([aFollower()]);
    await messages.publish(TOPICS.controlCommands, [configCommand('copy-2', entry)]);
    await waitFor('copy-2 added', () => worker!.configured().some(({ name }) => name === 'copy-2'));
    await messages.publish(TOPICS.fills, [fill('a1', 'BUY', '0.4')]);
    await waitFor('both copies', () => intents.length === 2);
    expect(intents.map(({ account, order }) => [account, order!.amount]).sort()).toEqual([['follower-1', '0.2'], ['follower-2', '0.1']]);
    const configured = decisions.find((decision) => decision.follower === 'copy-2' && decision.kind === 'CONFIGURE')!;
    expect(JSON.parse(configured.configuration!)).toMatchObject({ ...entry, driftThreshold: '0.05', paused: false });

    // Refused whole: the follower runs as before, and the refusal is audited with the setting at fault.
    await messages.publish(TOPICS.controlCommands, [configCommand('copy-2', { ...entry, sizing: { mode: 'ratio', ratio: '-1' } }), configCommand('copy-3', { ...entry, name: 'copy-3', leverage: 2 })]);
    await waitFor('two refusals', () => decisions.filter(({ kind }) => kind === 'REFUSE').length === 2);
    expect(decisions.filter(({ kind }) => kind === 'REFUSE').map(({ follower, reason }) => [follower, reason])).toEqual([
      ['copy-2', expect.stringMatching(/synchronizer\.copy-2\.sizing\.ratio: must be positive.*the follower runs as before$/)],
      ['copy-3', expect.stringMatching(/synchronizer\.copy-3\.leverage: needs instruments/)],
    ]);
    expect(worker!.configured().find(({ name }) => name === 'copy-2')!.sizing).toMatchObject({ ratio: expect.anything() });
    expect(worker!.configured().map(({ name }) => name)).toEqual(['copy-1', 'copy-2']);

    // Replaced with the same accounts: its residuals are kept (a pause keeps the next copy as residual).
    await messages.publish(TOPICS.controlCommands, [{ ...configCommand('copy-2', null), configKey: pauseKey('copy-2'), configValue: 'true' }]);
    await waitFor('copy-2 paused', () => worker!.isPaused('copy-2'));
    await messages.publish(TOPICS.fills, [fill('a2', 'BUY', '0.4')]);
    await waitFor('the paused skip', () => decisions.some(({ follower, kind }) => follower === 'copy-2' && kind === 'SKIP'));
    await messages.publish(TOPICS.controlCommands, [configCommand('copy-2', { ...entry, maxOrderQuantity: '1' })]);
    await waitFor('copy-2 replaced', () => worker!.configured().find(({ name }) => name === 'copy-2')!.maxOrderQuantity !== null);
    expect(worker!.residualOf('copy-2', 'BTC/USDT').toFixed()).toBe('0.1');
    expect(worker!.isPaused('copy-2')).toBe(true);

    // A restart reads control.commands from the beginning: copy-2 as last configured, still paused.
    await worker!.stop();
    worker = new SynchronizerWorker({ messages, followers: [aFollower()], logger, clock: () => now, tickMs: 3_600_000, settleMs: 1_000, stallMs: 30_000 });
    await worker.start();
    expect(worker.configured().map(({ name, maxOrderQuantity }) => [name, maxOrderQuantity?.toFixed() ?? null])).toEqual([['copy-1', null], ['copy-2', '1']]);
    expect(worker.isPaused('copy-2')).toBe(true);

    await messages.publish(TOPICS.controlCommands, [configCommand('copy-2', null)]);
    await waitFor('copy-2 removed', () => worker!.configured().length === 1);
    expect(decisions.filter(({ follower }) => follower === 'copy-2').at(-1)).toMatchObject({ kind: 'REMOVE', reason: 'removed: ops: test' });
  });

  it('asks the follower account\'s connector for its leverage on each instrument once, and again when it changes', async () => {
    const leveraged = aFollower({ leverage: 3, venue: 'bybit', instruments: [{ leader: 'BTC/USDT', follower: 'BTC/USDT:USDT' }] });
    await start([leveraged]);
    const asked: ControlCommand[] = [];
    await messages.subscribe({ groupId: 'leverage-observer', topics: [TOPICS.controlCommands], fromBeginning: true, handle: async (batch) => void asked.push(...batch.map(({ value }) => value).filter(({ configKey }) => configKey?.startsWith('leverage.'))) });
    await waitFor('the leverage asked', () => asked.length === 1);
    expect(asked[0]).toMatchObject({ type: 'CONFIG_CHANGE', scope: 'ACCOUNT', venue: 'bybit', account: 'follower-1', configKey: 'leverage.BTC/USDT:USDT', configValue: '3' });
    expect(decisions.find(({ kind }) => kind === 'LEVERAGE')).toMatchObject({ instrument: 'BTC/USDT:USDT', reason: expect.stringContaining('set leverage 3 on BTC/USDT:USDT') });

    // A restart finds the account already asked for 3: nothing again; a change of the follower's leverage asks for it.
    await worker!.stop();
    worker = new SynchronizerWorker({ messages, followers: [leveraged], logger, clock: () => now, tickMs: 3_600_000, settleMs: 1_000, stallMs: 30_000 });
    await worker.start();
    await messages.publish(TOPICS.controlCommands, [configCommand('copy-1', { ...formatFollower(leveraged), leverage: 5 })]);
    await waitFor('the new leverage asked', () => asked.length === 2);
    expect(asked.map(({ configValue }) => configValue)).toEqual(['3', '5']);
  });

  it('raises SYNC_STALLED instead of going quiet when its inputs stop, and says when they flow again', async () => {
    await start([aFollower()]);
    now += 31_000;
    await worker!.tick();
    await waitFor('the alert', () => alerts.length === 1);
    expect(alerts[0]).toMatchObject({ code: 'SYNC_STALLED', severity: 'CRITICAL', component: 'synchronizer', subject: 'inputs' });
    await messages.publish(TOPICS.bookSnapshots, [book('binance', '49990', '50010')]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await worker!.tick();
    await waitFor('the recovery', () => alerts.length === 2);
    expect(alerts[1]).toMatchObject({ code: 'SYNC_RECOVERED', severity: 'INFO' });
  });
});

