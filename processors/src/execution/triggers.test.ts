import { midPrice, type BookSnapshot, type Intent, type IntentStatus } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { describe, expect, it } from 'vitest';
import { intentMessage } from '../intents/intentFixtures.ts';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { killSwitch } from '../risk/riskFixtures.ts';
import { decisionFor, oneLevelBook } from './executionFixtures.ts';
import { PortfolioExecution, type ExecutionOutput } from './PortfolioExecution.ts';

function desk(replaying = false): PortfolioExecution {
  let id = 0;
  const risk = new RiskEngine(parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} }), () => 0);
  return new PortfolioExecution({ risk, logger: createLogger('test', { level: 'silent' }), clock: () => 0, newId: () => `id-${(id += 1)}`, replaying });
}

/** A market SELL of 1 that stops out at 95. */
const stop = (intentId = 's1', triggerPrice = '95', overrides: Partial<Intent> = {}) =>
  intentMessage(intentId, { side: 'SELL', amount: '1', trigger: { type: 'STOP', triggerPrice } }, overrides);
/** A book on binance whose mid is `mid` (bid and ask 0.5 either side). */
const bookAt = (mid: number) => oneLevelBook('binance', { price: String(mid + 0.5), quantity: '5' }, { price: String(mid - 0.5), quantity: '5' });
/** What the execution side does with a book: its mid marks the instrument. */
const mark = (execution: PortfolioExecution, book: BookSnapshot) => execution.mark(book.instrument, midPrice(book)!);
const withMid = (decision: ReturnType<typeof decisionFor>, mid: string) => ({ ...decision, arrivalMid: mid });
const fires = (output: ExecutionOutput) => output.intents.map(({ action, intentId, order, reroutes }) => `${action} ${intentId} ${order?.side} ${order?.amount} ${reroutes}`);
const states = (output: ExecutionOutput) => output.statuses.map(({ state }: IntentStatus) => state);

describe('PortfolioExecution holding a stop until the market crosses it', () => {
  it('places nothing while armed, fires once when a book mid crosses, and places the fire\'s legs', () => {
    const execution = desk();
    const armed = execution.routeDecision(decisionFor(stop(), [['binance', '1']]));
    expect(armed.commands).toEqual([]);
    expect(states(armed)).toEqual(['ACCEPTED']);
    expect(mark(execution, bookAt(96)).intents).toEqual([]);
    const fired = mark(execution, bookAt(95));
    expect(fires(fired)).toEqual(['REROUTE s1 SELL 1 e-s1']);
    // Asked once: a further move does not ask again before the router answers.
    expect(mark(execution, bookAt(94)).intents).toEqual([]);
    const placed = execution.routeDecision(decisionFor(fired.intents[0]!, [['binance', '1']]));
    expect(placed.commands.map(({ type, side, quantity, triggerPrice }) => `${type} ${side} ${quantity} ${triggerPrice}`)).toEqual(['PLACE SELL 1 null']);
    expect(states(placed)).toEqual(['WORKING']);
  });

  it('fires at once when the market is already past the trigger as the stop arrives; a take-profit fires the other way', () => {
    const execution = desk();
    expect(fires(execution.routeDecision(withMid(decisionFor(stop(), [['binance', '1']]), '94')))).toEqual(['REROUTE s1 SELL 1 e-s1']);
    const profit = intentMessage('tp', { side: 'SELL', amount: '1', trigger: { type: 'TAKE_PROFIT', triggerPrice: '105' } });
    expect(execution.routeDecision(decisionFor(profit, [['binance', '1']])).intents).toEqual([]);
    expect(mark(execution, bookAt(94)).intents).toEqual([]);
    expect(fires(mark(execution, bookAt(105)))).toEqual(['REROUTE tp SELL 1 e-tp']);
  });

  it('survives a restart: restored from a snapshot, or replayed from the start, it is still armed and fires once', () => {
    const live = desk();
    live.routeDecision(decisionFor(stop(), [['binance', '1']]));
    const restored = desk();
    restored.restore(live.snapshot());
    expect(restored.caughtUp().intents).toEqual([]);
    expect(fires(mark(restored, bookAt(94)))).toEqual(['REROUTE s1 SELL 1 e-s1']);

    const replayed = desk(true);
    replayed.routeDecision(decisionFor(stop(), [['binance', '1']]));
    expect(mark(replayed, bookAt(94)).intents).toEqual([]);
    expect(replayed.caughtUp().intents).toEqual([]);
    expect(fires(mark(replayed, bookAt(93)))).toEqual(['REROUTE s1 SELL 1 e-s1']);
  });

  it('a MODIFY of the trigger before the fire is answered voids that fire; a cancelled stop never fires', () => {
    const execution = desk();
    execution.routeDecision(decisionFor(stop(), [['binance', '1']]));
    const fire = mark(execution, bookAt(94)).intents[0]!;
    const lower = stop('s1', '90', { eventId: 'e-s1-modify', action: 'MODIFY' });
    expect(execution.routeDecision(decisionFor(lower, [['binance', '1']])).commands).toEqual([]);
    expect(execution.routeDecision(decisionFor(fire, [['binance', '1']])).commands).toEqual([]);
    expect(mark(execution, bookAt(93)).intents).toEqual([]);
    expect(fires(mark(execution, bookAt(90)))).toEqual(['REROUTE s1 SELL 1 e-s1-modify']);

    execution.routeDecision(decisionFor(stop('s2'), [['binance', '1']]));
    execution.control(killSwitch({ type: 'CANCEL_ALL', scope: 'GLOBAL', engaged: null }));
    expect(mark(execution, bookAt(80)).intents.filter((intent) => intent.intentId === 's2')).toEqual([]);
  });
});
