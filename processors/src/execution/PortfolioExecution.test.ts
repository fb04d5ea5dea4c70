import {
  clientOrderId,
  InvalidInputError,
  midPrice,
  type BookSnapshot,
  parseIntentId,
  type Intent,
  type OrderCommand,
} from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { deserialize } from 'node:v8';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { intentMessage } from '../intents/intentFixtures.ts';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { fill, killSwitch as controlCommand, orderEvent } from '../risk/riskFixtures.ts';
import { decisionFor, globalKillSwitch, oneLevelBook } from './executionFixtures.ts';
import { emptyOutput, PortfolioExecution, type ExecutionOutput } from './PortfolioExecution.ts';
import { rerouteEventId, routeDecisionId } from './routeDecisionId.ts';

/** What an output sends to venues, the router and people: its statuses left out. */
const sentBy = (output: ExecutionOutput): ExecutionOutput => ({ ...output, statuses: [] });

/** `warnings` collects what the execution logs at warn level and above; `replaying` as a worker's run starts. */
function desk(warnings: string[] = [], replaying = false, clock = () => 0): PortfolioExecution {
  let id = 0;
  const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} }), clock);
  const logger = createLogger('test', { level: 'warn', destination: { write: (line: string) => void warnings.push((JSON.parse(line) as { msg: string }).msg) } });
  return new PortfolioExecution({ risk, logger, clock, newId: () => `id-${(id += 1)}`, replaying });
}

/** What the execution side does with a book: its mid marks the instrument. */
const mark = (execution: PortfolioExecution, book: BookSnapshot) => execution.mark(book.instrument, midPrice(book)!);
const placed = (intent: Intent, amount: string) => intentMessage(intent.intentId, { amount }, { eventId: `${intent.intentId}:modify`, action: 'MODIFY' });
/** Each command as "TYPE intent:leg:attempt quantity", checking its client order id is the one derived from them. */
const summary = (output: { commands: OrderCommand[] }) =>
  output.commands.map(({ type, intentId, leg, attempt, clientOrderId: id, quantity }) => {
    expect(id).toBe(clientOrderId(parseIntentId(intentId), leg, attempt));
    return `${type} ${intentId}:${leg}:${attempt} ${quantity}`;
  });

describe('PortfolioExecution', () => {
  it('restored from a snapshot, adopts the legs a later run sent for decisions the snapshot folded, and numbers new legs after them', () => {
    const intent = intentMessage('s1', { amount: '2', limitPrice: '100', timeInForce: 'GTC' });
    const halt = controlCommand({ type: 'CANCEL_ALL', scope: 'VENUE', venue: 'binance', engaged: null });
    // The run that took the snapshot read the cancel-all first: the leg on binance was not placed.
    const snapshotted = desk();
    snapshotted.control(halt);
    expect(summary(snapshotted.routeDecision(decisionFor(intent, [['binance', '1']])))).toEqual([]);
    const snapshot = snapshotted.snapshot();
    // A later run, started without that snapshot, read the decision first and placed it.
    const later = desk();
    const sent = later.routeDecision(decisionFor(intent, [['binance', '1']])).commands;
    expect(summary({ commands: sent })).toEqual(['PLACE s1:0:0 1']);
    // A run restored from the snapshot (it landed late) never reads that decision again; the read-back holds the PLACE.
    const warnings: string[] = [];
    const restored = desk(warnings);
    restored.restore(snapshot);
    for (const command of sent) restored.earlierRun.commandSent(command);
    restored.adoptSentForFolded();
    expect(warnings).toEqual([expect.stringMatching(/^route decision route:e-s1: 1 legs a later run sent are adopted into the restored state$/)]);
    // Caught up, the cancel-all still in force cancels the adopted leg; the next leg is numbered after it.
    expect(summary(restored.caughtUp())).toEqual(['CANCEL s1:0:0 1']);
    const modified = placed(intent, '3');
    expect(summary(restored.routeDecision(decisionFor(modified, [['okx', '2']])))).toEqual(['PLACE s1:1:0 2']);
  });


  it('ends a GTD intent when its time is up: asks the router with an EXPIRE, cancels its legs, and reports it EXPIRED', () => {
    let now = 0;
    const execution = desk([], false, () => now);
    const intent = intentMessage('g1', { amount: '1', limitPrice: '100', timeInForce: 'GTD', expireAtMs: 5_000 });
    const placedLegs = execution.routeDecision(decisionFor(intent, [['binance', '1']])).commands;
    // The venue sees a GTC leg: the execution side holds the time.
    expect(placedLegs.map(({ type, timeInForce, expireAtMs }) => `${type} ${timeInForce} ${expireAtMs}`)).toEqual(['PLACE GTC null']);
    execution.orderEvent(orderEvent(placedLegs[0]!, { event: 'ACCEPTED', state: 'NEW' }));
    now = 4_999;
    expect(execution.expire().intents).toEqual([]);
    now = 5_000;
    const [expire] = execution.expire().intents;
    expect(expire).toMatchObject({ eventId: 'expire:g1:0', action: 'EXPIRE', order: null, source: 'EXECUTION', createdAtMs: 5_000 });
    // Unanswered, it is not asked again at once.
    expect(execution.expire().intents).toEqual([]);
    const answered = execution.routeDecision(decisionFor(expire!, []));
    expect(summary(answered)).toEqual(['CANCEL g1:0:0 1']);
    const canceled = execution.orderEvent(orderEvent(answered.commands[0]!, { event: 'CANCELED', state: 'CANCELED' }));
    expect(canceled.statuses.at(-1)).toMatchObject({ state: 'EXPIRED', rule: 'time_in_force', reason: 'GTD: its time was up at 1970-01-01T00:00:05.000Z' });
    now = 60_000;
    expect(execution.expire().intents).toEqual([]);
  });

  it('places nothing for a decision made after a DAY or GTD intent\'s time was up', () => {
    const execution = desk();
    const intent = intentMessage('g2', { amount: '1', limitPrice: '100', timeInForce: 'GTD', expireAtMs: 5_000 });
    expect(summary(execution.routeDecision({ ...decisionFor(intent, [['binance', '1']]), decidedAtMs: 5_000 }))).toEqual([]);
  });

  it('refuses a decision whose id does not name the intent message it carries', () => {
    const execution = desk();
    const decision = { ...decisionFor(intentMessage('v1'), [['binance', '1']]), eventId: routeDecisionId('e-v2') };
    expect(() => execution.routeDecision(decision)).toThrow(InvalidInputError);
    expect(() => execution.routeDecision(decision)).toThrow('route decision route:e-v2 of intent v1: its id does not name the intent message it carries (e-v1 of v1)');
  });

  it('acts on one decision per intent message: the router\'s second answer to it places nothing', () => {
    const execution = desk();
    const intent = intentMessage('d1', { amount: '2' });
    expect(summary(execution.routeDecision(decisionFor(intent, [['binance', '1']])))).toEqual(['PLACE d1:0:0 1']);
    expect(execution.routeDecision(decisionFor(intent, [['okx', '1']]))).toEqual(emptyOutput());
  });

  it('never places more than the intent may still fill', () => {
    const execution = desk();
    const intent = intentMessage('i2', { amount: '1' });
    expect(summary(execution.routeDecision(decisionFor(intent, [['binance', '0.75'], ['okx', '0.5'], ['kraken', '0.25']])))).toEqual(['PLACE i2:0:0 0.75', 'PLACE i2:2:0 0.25']);
  });

  it('cancels the legs of terms a MODIFY replaced and numbers the new legs on', () => {
    const execution = desk();
    const intent = intentMessage('i3', { amount: '1', timeInForce: 'GTC', limitPrice: '100' });
    execution.routeDecision(decisionFor(intent, [['binance', '1']]));
    // The canceled leg may still fill until the venue confirms: 3 - 1 = 2 may be placed now.
    expect(summary(execution.routeDecision(decisionFor(placed(intent, '3'), [['okx', '2']])))).toEqual(['CANCEL i3:0:0 1', 'PLACE i3:1:0 2']);
  });

  it('cancels a canceled intent\'s legs under a kill switch, and rejects new legs', () => {
    const execution = desk();
    const intent = intentMessage('i4', { amount: '1' });
    execution.routeDecision(decisionFor(intent, [['binance', '1']]));
    execution.control(globalKillSwitch(true));
    const canceled = execution.routeDecision(decisionFor({ ...intent, eventId: 'i4:cancel', action: 'CANCEL', order: null }, []));
    expect(summary(canceled)).toEqual(['CANCEL i4:0:0 1']);
    expect(canceled.riskDecisions.map(({ decision }) => decision)).toEqual(['APPROVED']);

    const next = intentMessage('i5', { amount: '1' });
    const rejected = execution.routeDecision(decisionFor(next, [['binance', '1']]));
    expect(summary(rejected)).toEqual([]);
    expect(rejected.riskDecisions.map(({ decision, rule }) => `${decision} ${rule}`)).toEqual(['REJECTED kill_switch']);
  });

  it('raises a CRITICAL alert when a kill switch is engaged and an INFO one when it is released, under ids derived from the commands', () => {
    const execution = desk();
    const intent = intentMessage('k1', { amount: '1', timeInForce: 'GTC', limitPrice: '100' });
    execution.routeDecision(decisionFor(intent, [['binance', '1']]));
    const engage = controlCommand({ eventId: 'stop-p1', scope: 'PORTFOLIO', portfolio: 'p1', cancelOpenOrders: true, issuedBy: 'alice', reason: 'drawdown' });
    const engaged = execution.control(engage);
    expect(summary(engaged)).toEqual(['CANCEL k1:0:0 1']);
    expect(engaged.alerts).toEqual([
      {
        eventId: 'stop-p1:alert', severity: 'CRITICAL', code: 'KILL_SWITCH', component: 'execution', venue: null, account: null, subject: 'portfolio p1',
        message: 'kill switch engaged: new orders stop (portfolio p1), by alice: drawdown; its open orders are being cancelled', raisedAtMs: 0,
      },
    ]);
    const released = execution.control({ ...engage, eventId: 'go-p1', engaged: false, reason: 'reviewed' });
    expect(released.alerts.map(({ eventId, severity, message }) => [eventId, severity, message])).toEqual([
      ['go-p1:alert', 'INFO', 'kill switch released: new orders may flow (portfolio p1), by alice: reviewed'],
    ]);
    expect(execution.control(controlCommand({ type: 'CANCEL_ALL', scope: 'VENUE', venue: 'binance', engaged: null })).alerts).toEqual([]);
  });

  it('values risk at the books as they move, not only at the mid of the last routed intent', () => {
    const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: { priceBand: '0.05' } }), () => 0);
    const execution = new PortfolioExecution({ risk, logger: createLogger('test', { level: 'silent' }), clock: () => 0, newId: () => 'id' });
    const first = intentMessage('m1', { amount: '1', timeInForce: 'GTC', limitPrice: '100' });
    expect(summary(execution.routeDecision(decisionFor(first, [['binance', '1']])))).toEqual(['PLACE m1:0:0 1']);
    // The market moves to 120 while no intent is routed; a buy at 100 is now 16.7 % off the mid.
    mark(execution, oneLevelBook('okx', { price: '120.1', quantity: '1' }, { price: '119.9', quantity: '1' }));
    const second = intentMessage('m2', { amount: '1', timeInForce: 'GTC', limitPrice: '100' });
    const rejected = execution.routeDecision({ ...decisionFor(second, [['binance', '1']]), arrivalMid: null });
    expect(rejected.riskDecisions.map(({ decision, rule }) => `${decision} ${rule}`)).toEqual(['REJECTED portfolio.price_band']);
  });

  it('alerts when a market move takes the portfolio below its drawdown stop, once, and when it comes back', () => {
    const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: { maxDrawdown: '50' } }), () => 0);
    const execution = new PortfolioExecution({ risk, logger: createLogger('test', { level: 'silent' }), clock: () => 7, newId: () => 'alert-id' });
    execution.fill(fill({ portfolio: 'p1', quantity: '2', price: '100' }));
    const at = (mid: number) => mark(execution, oneLevelBook('okx', { price: String(mid + 0.5), quantity: '1' }, { price: String(mid - 0.5), quantity: '1' })).alerts;
    expect(at(90)).toEqual([]);
    expect(at(70)).toEqual([
      {
        eventId: 'alert-id', severity: 'CRITICAL', code: 'DRAWDOWN_STOP', component: 'execution', venue: null, account: null, subject: 'portfolio p1',
        message: 'drawdown stop reached (portfolio p1): PnL -60 USDT is below -50 USDT; only risk-reducing orders pass', raisedAtMs: 7,
      },
    ]);
    expect(at(69)).toEqual([]);
    expect(at(80).map(({ severity, message }) => `${severity} ${message}`)).toEqual(['INFO drawdown stop cleared (portfolio p1): PnL -40 USDT is back above -50 USDT']);
  });

  describe('re-routing what a leg left unfilled', () => {
    /** An intent for 2 at 100 GTC, placed as binance 1 + okx 1. */
    function working(id: string) {
      const execution = desk();
      const intent = intentMessage(id, { amount: '2', timeInForce: 'GTC', limitPrice: '100' });
      const [binance, okx] = execution.routeDecision(decisionFor(intent, [['binance', '1'], ['okx', '1']])).commands;
      return { execution, intent, binance: binance!, okx: okx! };
    }

    it('asks the router for the remainder of a rejected leg, avoiding that venue, one request at a time', () => {
      const { execution, intent, binance, okx } = working('r1');
      const after = execution.orderEvent(orderEvent(binance, { event: 'REJECTED', state: 'REJECTED', previousState: 'PENDING_NEW', reason: 'connect ECONNREFUSED' }));
      expect(after.intents).toEqual([
        expect.objectContaining({ action: 'REROUTE', intentId: 'r1', reroutes: intent.eventId, avoidVenues: ['binance'], source: 'EXECUTION', order: expect.objectContaining({ amount: '1', limitPrice: '100' }) }),
      ]);
      // okx's leg part-fills meanwhile: no second request while the first is unanswered.
      expect(execution.orderEvent(orderEvent(okx, { event: 'PARTIALLY_FILLED', state: 'PARTIALLY_FILLED', filledQuantity: '0.4' })).intents).toEqual([]);
      // More than may still fill (2 - 1 working on okx) is not placed; once answered, the next failure asks again.
      expect(summary(execution.routeDecision(decisionFor(after.intents[0]!, [['kraken', '1.5']])))).toEqual([]);
      const again = execution.orderEvent(orderEvent(okx, { event: 'CANCELED', state: 'CANCELED', filledQuantity: '0.4' })).intents;
      // okx cancelled it: the book moved there, the venue is still a candidate.
      expect(again).toEqual([expect.objectContaining({ avoidVenues: ['binance'], order: expect.objectContaining({ amount: '1.6' }) })]);
    });

    it('places a re-route answer on new leg numbers and never beyond the remainder', () => {
      const { execution, binance } = working('r2');
      const reroute = execution.orderEvent(orderEvent(binance, { event: 'CANCELED', state: 'CANCELED', filledQuantity: '0.25' })).intents[0]!;
      expect(reroute.order?.amount).toBe('0.75');
      expect(summary(execution.routeDecision(decisionFor(reroute, [['kraken', '0.5'], ['bybit', '0.25']])))).toEqual(['PLACE r2:2:0 0.5', 'PLACE r2:3:0 0.25']);
    });

    it('drops the answer to a re-route of terms a MODIFY replaced since', () => {
      const { execution, intent, binance } = working('r3');
      const reroute = execution.orderEvent(orderEvent(binance, { event: 'REJECTED', state: 'REJECTED', previousState: 'PENDING_NEW' })).intents[0]!;
      execution.routeDecision(decisionFor(placed(intent, '3'), []));
      expect(summary(execution.routeDecision(decisionFor(reroute, [['kraken', '1']])))).toEqual([]);
    });

    it('does not re-route an IOC limit leg the venue expired (immediate means not later), but does a market one', () => {
      const execution = desk();
      const limit = intentMessage('r4', { amount: '1', timeInForce: 'IOC', limitPrice: '100' });
      const [limitLeg] = execution.routeDecision(decisionFor(limit, [['binance', '1']])).commands;
      expect(execution.orderEvent(orderEvent(limitLeg!, { event: 'EXPIRED', state: 'EXPIRED', filledQuantity: '0.5' })).intents).toEqual([]);

      const market = intentMessage('r5', { amount: '1', timeInForce: 'IOC', limitPrice: null });
      const [marketLeg] = execution.routeDecision(decisionFor(market, [['binance', '1']])).commands;
      const reroute = execution.orderEvent(orderEvent(marketLeg!, { event: 'EXPIRED', state: 'EXPIRED', filledQuantity: '0.5' })).intents;
      expect(reroute).toEqual([expect.objectContaining({ action: 'REROUTE', avoidVenues: [], order: expect.objectContaining({ amount: '0.5', limitPrice: null }) })]);
    });
  });

  describe('cancel-all, flatten and resume', () => {
    it('cancels the legs on a venue under cancel-all, places nothing there until resume, and re-routes the rest', () => {
      const execution = desk();
      const intent = intentMessage('c1', { amount: '2', timeInForce: 'GTC', limitPrice: '100' });
      const [binance] = execution.routeDecision(decisionFor(intent, [['binance', '1'], ['okx', '1']])).commands;
      const halt = controlCommand({ type: 'CANCEL_ALL', scope: 'VENUE', venue: 'binance', engaged: null });
      expect(summary(execution.control(halt))).toEqual(['CANCEL c1:0:0 1']);
      const reroute = execution.orderEvent(orderEvent(binance!, { event: 'CANCELED', state: 'CANCELED' })).intents[0]!;
      expect(summary(execution.routeDecision(decisionFor(reroute, [['binance', '1']])))).toEqual([]);

      execution.control({ ...halt, eventId: 'resume', type: 'RESUME' });
      const next = intentMessage('c2', { amount: '1' });
      expect(summary(execution.routeDecision(decisionFor(next, [['binance', '1']])))).toEqual(['PLACE c2:0:0 1']);
    });

    it('flattens one venue with a reduce-only market intent per position there, and nothing elsewhere', () => {
      const execution = desk();
      execution.fill(fill({ venue: 'okx', account: 'main', portfolio: 'p1', quantity: '0.3', side: 'BUY' }));
      execution.fill(fill({ venue: 'binance', account: 'main', portfolio: 'p1', quantity: '2', side: 'BUY' }));
      const output = execution.control(controlCommand({ eventId: 'flat', type: 'FLATTEN', scope: 'VENUE', venue: 'okx', engaged: null }));
      expect(output.intents).toEqual([
        expect.objectContaining({ intentId: 'flatten:flat:main:BTC-USDT', venues: ['okx'], account: 'main', flattens: true, order: expect.objectContaining({ side: 'SELL', amount: '0.3', reduceOnly: true, limitPrice: null }) }),
      ]);
      // The flatten order may trade on the halted venue; another intent may not.
      const flatten = output.intents[0]!;
      expect(summary(execution.routeDecision({ ...decisionFor(flatten, [['okx', '0.3']]), legs: [{ leg: 0, venue: 'okx', account: 'main', quantity: '0.3', limitPrice: '99', expectedAveragePrice: '99', expectedFee: '0' }] }))).toEqual(['PLACE flatten:flat:main:BTC-USDT:0:0 0.3']);
      const other = intentMessage('c3', { amount: '1' });
      expect(summary(execution.routeDecision(decisionFor(other, [['okx', '1']])))).toEqual([]);
    });
  });

  describe('after a restart (commands read back, inputs re-read side by side)', () => {
    /** A first run that placed an intent for 2 as binance 1 + okx 1: what it read and what it sent. */
    function firstRun(id: string) {
      const execution = desk();
      const intent = intentMessage(id, { amount: '2', timeInForce: 'GTC', limitPrice: '100' });
      const decision = decisionFor(intent, [['binance', '1'], ['okx', '1']]);
      const sent = execution.routeDecision(decision).commands;
      expect(sent.map(({ routeDecisionId }) => routeDecisionId)).toEqual([decision.eventId, decision.eventId]);
      return { execution, intent, decision, sent };
    }

    const fillOf = ({ venue, account, portfolio, clientOrderId: id, intentId, instrument, side }: OrderCommand, quantity: string) =>
      fill({ venue, account, portfolio, clientOrderId: id, intentId, instrument, side, quantity, venueTradeId: `t-${id}` });

    function restarted(sent: OrderCommand[], warnings: string[] = []): PortfolioExecution {
      const execution = desk(warnings);
      for (const command of sent) execution.earlierRun.commandSent(command);
      return execution;
    }

    it('adopts the legs an earlier run sent when their decision is read again, live or not, and sends no PLACE', () => {
      for (const live of [true, false]) {
        const { decision, sent } = firstRun(`a-${live}`);
        const warnings: string[] = [];
        const execution = restarted(sent, warnings);
        const again = execution.routeDecision(decision, live);
        expect(summary(again)).toEqual([]);
        expect(again.riskDecisions).toEqual([]);
        // It knows both legs: their fills apply, the intent fills, nothing is routed again.
        for (const command of sent) {
          expect(sentBy(execution.fill(fillOf(command, '1')))).toEqual(emptyOutput());
          expect(sentBy(execution.orderEvent(orderEvent(command, { event: 'FILLED', state: 'FILLED', filledQuantity: '1', remainingQuantity: '0' })))).toEqual(emptyOutput());
        }
        expect(execution.caughtUp()).toEqual(emptyOutput());
        expect(warnings).toEqual([]);
      }
    });

    it('holds an order event and a fill read before the decision that placed their order, then applies them', () => {
      const { decision, sent } = firstRun('h1');
      const warnings: string[] = [];
      const execution = restarted(sent, warnings);
      const [binance, okx] = sent;
      // Read first: binance filled 1; okx rejected, whose remainder must be routed again once known.
      execution.fill(fillOf(binance!, '1'));
      execution.orderEvent(orderEvent(binance!, { event: 'FILLED', state: 'FILLED', filledQuantity: '1', remainingQuantity: '0' }));
      execution.orderEvent(orderEvent(okx!, { event: 'REJECTED', state: 'REJECTED', previousState: 'PENDING_NEW' }));
      const adopted = execution.routeDecision(decision);
      expect(summary(adopted)).toEqual([]);
      expect(adopted.intents).toEqual([expect.objectContaining({ action: 'REROUTE', intentId: 'h1', avoidVenues: ['okx'], order: expect.objectContaining({ amount: '1' }) })]);
      expect(warnings).toEqual([]);
    });

    it('places nothing for a decision re-read below the boundary that sent nothing, and counts its routing', () => {
      const execution = desk();
      const intent = intentMessage('n1', { amount: '1' });
      expect(execution.routeDecision(decisionFor(intent, [['binance', '1']]), false)).toEqual(emptyOutput());
      // The routing counted: no second one is asked for, and a later live decision of new terms places.
      // The intent's owner learns that this routing placed nothing.
      const caughtUp = execution.caughtUp();
      expect(sentBy(caughtUp)).toEqual(emptyOutput());
      expect(caughtUp.statuses.map(({ eventId, state, rule }) => [eventId, state, rule])).toEqual([['n1:status:0', 'REJECTED', 'not_placed']]);
      const modified = placed(intent, '1');
      expect(summary(execution.routeDecision(decisionFor(modified, [['okx', '1']])))).toEqual(['PLACE n1:0:0 1']);
    });

    it('asks a re-route whose answer it has not read again under the id the earlier run asked it with, and acts on one answer', () => {
      const { execution: earlier, intent, decision, sent } = firstRun('q1');
      const rejected = orderEvent(sent[0]!, { event: 'REJECTED', state: 'REJECTED', previousState: 'PENDING_NEW' });
      const [asked] = earlier.orderEvent(rejected).intents;
      expect(asked?.eventId).toBe(rerouteEventId(intent.eventId, 2));
      const execution = restarted(sent);
      execution.routeDecision(decision, false);
      const [again] = execution.orderEvent(rejected).intents;
      expect(again).toEqual(asked);
      // The router answers both requests: the second answer is a repeat.
      expect(summary(execution.routeDecision(decisionFor(asked!, [['kraken', '0.5']])))).toEqual(['PLACE q1:2:0 0.5']);
      expect(execution.routeDecision(decisionFor(again!, [['bybit', '0.5']]))).toEqual(emptyOutput());
    });
  });

  describe('intent statuses', () => {
    /** Each status as "eventId STATE filled/leaves rule". */
    const statuses = (output: { statuses: ExecutionOutput['statuses'] }) =>
      output.statuses.map(({ eventId, state, filledQuantity, leavesQuantity, rule }) => `${eventId} ${state} ${filledQuantity}/${leavesQuantity}${rule ? ` ${rule}` : ''}`);
    const fillOf = ({ venue, account, portfolio, clientOrderId: id, intentId, instrument, side }: OrderCommand, quantity: string, tradeId = `t-${id}`) =>
      fill({ venue, account, portfolio, clientOrderId: id, intentId, instrument, side, quantity, venueTradeId: tradeId });
    const gtc = (intentId: string) => intentMessage(intentId, { amount: '2', limitPrice: '100', timeInForce: 'GTC' });

    it('reports an intent when read and once placed, then each change of what filled, numbered from 0 and never twice in a row', () => {
      const execution = desk();
      const intent = gtc('st1');
      const placedOutput = execution.routeDecision(decisionFor(intent, [['binance', '1.5'], ['okx', '0.5']]));
      expect(statuses(placedOutput)).toEqual(['st1:status:0 ACCEPTED 0/2', 'st1:status:1 WORKING 0/2']);
      const [binance, okx] = placedOutput.commands;
      expect(statuses(execution.orderEvent(orderEvent(binance!, { event: 'ACCEPTED', state: 'NEW', previousState: 'PENDING_NEW' })))).toEqual([]);
      expect(statuses(execution.fill(fillOf(binance!, '1')))).toEqual(['st1:status:2 PARTIALLY_FILLED 1/1']);
      // The same fill again (a duplicate delivery) changes nothing: nothing is said.
      expect(statuses(execution.fill(fillOf(binance!, '1')))).toEqual([]);
      expect(statuses(execution.fill(fillOf(binance!, '0.5', 't-2')))).toEqual(['st1:status:3 PARTIALLY_FILLED 1.5/0.5']);
      execution.orderEvent(orderEvent(binance!, { event: 'FILLED', state: 'FILLED', filledQuantity: '1.5', remainingQuantity: '0' }));
      const done = execution.fill(fillOf(okx!, '0.5'));
      expect(statuses(done)).toEqual(['st1:status:4 PARTIALLY_FILLED 2/0']);
      expect(statuses(execution.orderEvent(orderEvent(okx!, { event: 'FILLED', state: 'FILLED', filledQuantity: '0.5', remainingQuantity: '0' })))).toEqual(['st1:status:5 DONE 2/0']);
    });

    it('reports CANCELED once the cancelled legs are confirmed', () => {
      const execution = desk();
      const intent = gtc('st2');
      const [leg] = execution.routeDecision(decisionFor(intent, [['binance', '2']])).commands;
      const cancel = intentMessage('st2', {}, { action: 'CANCEL', order: null, eventId: 'st2:cancel' });
      // Asked, not confirmed: the leg may still fill.
      expect(statuses(execution.routeDecision(decisionFor(cancel, [])))).toEqual([]);
      expect(statuses(execution.orderEvent(orderEvent(leg!, { event: 'CANCELED', state: 'CANCELED', previousState: 'PENDING_CANCEL' })))).toEqual(['st2:status:2 CANCELED 0/0']);
    });

    it('reports REJECTED with the rule when risk refuses every leg (a kill switch), when no venue can take it, and when the intent is refused on arrival', () => {
      const execution = desk();
      execution.control(globalKillSwitch(true));
      expect(statuses(execution.routeDecision(decisionFor(gtc('st3'), [['binance', '1']])))).toEqual(['st3:status:0 ACCEPTED 0/2', 'st3:status:1 REJECTED 0/0 kill_switch']);
      execution.control(globalKillSwitch(false));
      const nowhere = decisionFor(gtc('st4'), []);
      nowhere.candidates = [{ venue: 'okx', account: 'main', availableQuantity: '0', expectedAveragePrice: null, expectedFee: '0', latencyPenalty: '0', stalenessPenalty: '0', healthPenalty: '0', expectedTotalCost: '0', chosen: false, reason: 'venue DOWN' }];
      const routedNowhere = execution.routeDecision(nowhere);
      expect(statuses(routedNowhere)).toEqual(['st4:status:0 ACCEPTED 0/2', 'st4:status:1 REJECTED 0/0 no_route']);
      expect(routedNowhere.statuses[1]!.reason).toBe('no venue could take it: okx venue DOWN');
      // Refused on arrival: the decision is dead-lettered (the error), and its status waits to be taken.
      const iceberg = intentMessage('st5', { amount: '2', limitPrice: '100', icebergQuantity: '0.1' });
      expect(() => execution.routeDecision(decisionFor(iceberg, [['binance', '2']]))).toThrow(InvalidInputError);
      const [rejected] = execution.takePendingStatuses();
      expect(rejected).toMatchObject({ eventId: 'st5:status:0', state: 'REJECTED', rule: 'not_executed:order.timeInForce', requestedQuantity: '2', leavesQuantity: '0' });
      expect(execution.takePendingStatuses()).toEqual([]);
    });

    it('after a restart, goes on from the last status read back: what was published is not published again, what was not is, numbered on', () => {
      const first = desk();
      const intent = gtc('st6');
      const decision = decisionFor(intent, [['binance', '2']]);
      const placedOutput = first.routeDecision(decision);
      const [leg] = placedOutput.commands;
      const partial = fillOf(leg!, '0.5');
      const published = [...placedOutput.statuses, ...first.fill(partial).statuses];
      expect(published.map(({ eventId }) => eventId)).toEqual(['st6:status:0', 'st6:status:1', 'st6:status:2']);

      // Crashed after publishing everything: the re-read says nothing new.
      const again = desk([], true);
      for (const command of placedOutput.commands) again.earlierRun.commandSent(command);
      for (const status of published) again.statusLog.published(status);
      expect(statuses(again.routeDecision(decision, false))).toEqual([]);
      expect(statuses(again.fill(partial, true))).toEqual([]);
      expect(statuses(again.caughtUp())).toEqual([]);

      // Crashed before the fill's status went out: it goes out now, under the number the first run gave it.
      const lost = desk([], true);
      for (const command of placedOutput.commands) lost.earlierRun.commandSent(command);
      for (const status of published.slice(0, 2)) lost.statusLog.published(status);
      lost.routeDecision(decision, false);
      lost.fill(partial, true);
      expect(lost.caughtUp().statuses).toEqual([published[2]]);
    });

    it('carries the last status of each intent in its snapshot: restored and caught up it says nothing, then numbers on', () => {
      const execution = desk();
      const [leg] = execution.routeDecision(decisionFor(gtc('st7'), [['binance', '2']])).commands;
      execution.fill(fillOf(leg!, '0.5'));
      const restored = desk([], true);
      restored.restore(execution.snapshot());
      expect(statuses(restored.caughtUp())).toEqual([]);
      expect(statuses(restored.fill(fillOf(leg!, '1', 't-2')))).toEqual(['st7:status:3 PARTIALLY_FILLED 1.5/0.5']);
    });
  });

  describe('retiring intents that ended', () => {
    const limits = parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} });
    /** A desk whose risk engine the test reads, and what it logs at info and above. */
    function retiring(logs: string[] = []) {
      const risk = new RiskEngine(limits, () => 0);
      const logger = createLogger('test', { level: 'info', destination: { write: (line: string) => void logs.push((JSON.parse(line) as { msg: string }).msg) } });
      let id = 0;
      const execution = new PortfolioExecution({ risk, logger, clock: () => 0, newId: () => `id-${(id += 1)}`, replaying: false });
      return { execution, risk };
    }
    const fillOf = ({ venue, account, portfolio, clientOrderId: id, intentId, instrument, side }: OrderCommand, quantity: string) =>
      fill({ venue, account, portfolio, clientOrderId: id, intentId, instrument, side, quantity, venueTradeId: `t-${id}` });
    /** Places `intentId` for 2 on one leg, fills it whole: DONE. */
    function done(execution: PortfolioExecution, intentId: string) {
      const intent = intentMessage(intentId, { amount: '2', limitPrice: '100', timeInForce: 'GTC' });
      const [leg] = execution.routeDecision(decisionFor(intent, [['binance', '2']])).commands;
      execution.fill(fillOf(leg!, '2'));
      const last = execution.orderEvent(orderEvent(leg!, { event: 'FILLED', state: 'FILLED', filledQuantity: '2', remainingQuantity: '0' }));
      expect(last.statuses.map(({ state }) => state)).toEqual(['DONE']);
      return { intent, leg: leg! };
    }
    /** The captured fields of the execution state (stateSnapshot's plain form). */
    const fieldsOf = (snapshot: Buffer) => (deserialize(gunzipSync(snapshot)) as { roots: Array<{ $fields: Record<string, unknown> }> }).roots[0]!.$fields;

    it('drops a DONE intent from the state once its final status is published, keeping only its id', () => {
      const { execution } = retiring();
      done(execution, 'rt1');
      const fields = fieldsOf(execution.snapshot());
      expect((fields['desired'] as { intents: Map<string, unknown> }).intents.size).toBe(0);
      expect((fields['actual'] as Map<string, unknown>).size).toBe(0);
      expect((fields['termsOf'] as Map<string, unknown>).size).toBe(0);
      expect((fields['statusLog'] as { $fields: { last: Map<string, unknown> } }).$fields.last.size).toBe(0);
      expect((fields['retired'] as { $fields: { ended: Map<string, string> } }).$fields.ended).toEqual(new Map([['rt1', 'DONE']]));
    });

    it('keeps an intent whose legs still work, or whose final status is a refusal a MODIFY may retry', () => {
      const { execution } = retiring();
      const intent = intentMessage('rt2', { amount: '2', limitPrice: '100', timeInForce: 'GTC' });
      execution.routeDecision(decisionFor(intent, [['binance', '2']]));
      execution.routeDecision(decisionFor(intentMessage('rt2', {}, { action: 'CANCEL', order: null, eventId: 'rt2:cancel' }), []));
      execution.control(globalKillSwitch(true));
      execution.routeDecision(decisionFor(intentMessage('rt3', { amount: '1', limitPrice: '100' }), [['okx', '1']]));
      const fields = fieldsOf(execution.snapshot());
      expect([...(fields['desired'] as { intents: Map<string, unknown> }).intents.keys()]).toEqual(['rt2', 'rt3']);
    });

    it('drops a repeat decision, refuses a MODIFY and drops a CANCEL of a retired intent, publishing nothing', () => {
      const logs: string[] = [];
      const { execution } = retiring(logs);
      const { intent } = done(execution, 'rt4');
      execution.snapshot();
      expect(execution.routeDecision(decisionFor(intent, [['binance', '2']]))).toEqual(emptyOutput());
      expect(logs.at(-1)).toMatch(/a repeat of a decision already read; dropped$/);
      expect(() => execution.routeDecision(decisionFor(placed(intent, '3'), [['binance', '1']]))).toThrow(new InvalidInputError('intent rt4: MODIFY of an intent that is done'));
      expect(() => execution.routeDecision(decisionFor(intentMessage('rt4', { amount: '1', limitPrice: '100' }, { eventId: 'rt4:again' }), [['binance', '1']]))).toThrow(new InvalidInputError('intent rt4: PLACE of an intent that exists; use MODIFY'));
      expect(execution.routeDecision(decisionFor(intentMessage('rt4', {}, { action: 'CANCEL', order: null, eventId: 'rt4:cancel' }), []))).toEqual(emptyOutput());
      expect(execution.takePendingStatuses()).toEqual([]);
      expect(execution.caughtUp()).toEqual(emptyOutput());
    });

    /** A canceled intent (its leg canceled at the venue), or one filled whole. */
    const ended = {
      canceled: (execution: PortfolioExecution) => {
        const intent = intentMessage('rt5', { amount: '2', limitPrice: '100', timeInForce: 'GTC' });
        const [leg] = execution.routeDecision(decisionFor(intent, [['binance', '2']])).commands;
        execution.routeDecision(decisionFor(intentMessage('rt5', {}, { action: 'CANCEL', order: null, eventId: 'rt5:cancel' }), []));
        execution.orderEvent(orderEvent(leg!, { event: 'CANCELED', state: 'CANCELED', previousState: 'PENDING_CANCEL' }));
        return intent;
      },
      done: (execution: PortfolioExecution) => done(execution, 'rt5').intent,
    };

    it.each(Object.keys(ended) as Array<keyof typeof ended>)('refuses a MODIFY of an intent that is %s whether it was retired yet or not, in the same words', (how) => {
      const outcomes = [false, true].map((retire) => {
        const { execution } = retiring();
        const intent = ended[how](execution);
        if (retire) execution.snapshot();
        try {
          execution.routeDecision(decisionFor(placed(intent, '3'), [['binance', '1']]));
          return 'accepted';
        } catch (error) {
          return String(error);
        }
      });
      expect(outcomes).toEqual(Array(2).fill(`InvalidInputError: intent rt5: MODIFY of an intent that is ${how}`));
    });

    it('counts a late duplicate fill of a retired intent in risk once, and holds nothing for its leg', () => {
      const { execution, risk } = retiring();
      const { leg } = done(execution, 'rt6');
      execution.snapshot();
      expect(execution.fill(fillOf(leg, '2'))).toEqual(emptyOutput());
      expect(execution.orderEvent(orderEvent(leg, { event: 'FILLED', state: 'FILLED', filledQuantity: '2', remainingQuantity: '0' }))).toEqual(emptyOutput());
      expect(risk.positionsOn('binance').map(({ quantity }) => quantity.toFixed())).toEqual(['2']);
      const fields = fieldsOf(execution.snapshot());
      expect((fields['held'] as { $fields: { byClientOrderId: Map<string, unknown> } }).$fields.byClientOrderId.size).toBe(0);
    });

    it('restored from a snapshot taken after retirement, goes on as the run it came from', () => {
      const { execution } = retiring();
      const { leg } = done(execution, 'rt7');
      const snapshot = execution.snapshot();
      const { execution: restored } = retiring();
      restored.restore(snapshot);
      expect(restored.caughtUp()).toEqual(emptyOutput());
      const next = intentMessage('rt8', { amount: '1', limitPrice: '100' });
      for (const run of [execution, restored]) {
        expect(run.fill(fillOf(leg, '2'))).toEqual(emptyOutput());
        expect(summary(run.routeDecision(decisionFor(next, [['okx', '1']])))).toEqual(['PLACE rt8:0:0 1']);
      }
      expect(fieldsOf(restored.snapshot())).toEqual(fieldsOf(execution.snapshot()));
    });
  });
});
