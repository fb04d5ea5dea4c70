import { randomUUID } from 'node:crypto';
import {
  clientOrderId,
  parseIntentId,
  statusNumber,
  type Alert,
  type Codec,
  type Intent,
  type IntentStatus,
  type OrderCommand,
  type RiskDecision,
  type RouteDecision,
  type WorkerSnapshot,
} from '@crossvenue/schemas';
import { createLogger, DEAD_LETTER_HEADERS, type ConsumedRecord, type Consumer, type MessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentMessage } from '../intents/intentFixtures.ts';
import { fill, orderEvent } from '../risk/riskFixtures.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { globalKillSwitch, oneLevelBook, privateTopics, spotMarket } from './executionFixtures.ts';
import { ExecutionWorker } from './ExecutionWorker.ts';
import { RouterWorker } from '../router/RouterWorker.ts';

/** A bus to run the execution path on: the real Kafka and registry, or the in-process bus. */
export interface PathBus {
  messages: MessageBus;
  /** The codec the execution worker encodes its transactional outputs with. */
  codec: Codec;
  close(): Promise<void>;
}

const WAIT_MS = 30_000;

/**
 * Intents → router → route decisions → execution → order commands and risk decisions, on one bus:
 * a split across two venues with deterministic client order ids, a kill switch that rejects the
 * next intent's legs, cancels the open ones and raises an alert, a restart that sends nothing
 * twice (alerts included), and a rejected leg whose quantity goes round the router again to the
 * other venue. Throughout, the intent statuses on their topic: each intent's numbered from 0 in
 * order, none twice and none skipped, across every restart.
 */
export function describeExecutionPath(label: string, connect: () => PathBus): void {
  describe(`execution path (${label})`, () => {
    const logger = createLogger('execution-path-test', { level: process.env.PATH_LOG ?? 'silent' });
    const topics = privateTopics();
    const name = `execution-test-${randomUUID()}`;
    const limits = parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: { maxOrderNotional: '1000' } });
    const decisions: RouteDecision[] = [];
    /** Where each route decision sits, by intent id: a snapshot is past it when its offset for that partition is beyond. */
    const decisionPlaces = new Map<string, { partition: number; offset: bigint }>();
    const commands: OrderCommand[] = [];
    const verdicts: RiskDecision[] = [];
    const intents: Intent[] = [];
    const alerts: Alert[] = [];
    const statuses: IntentStatus[] = [];
    const snapshots: WorkerSnapshot[] = [];
    const deadDecisions: ConsumedRecord[] = [];
    let bus: PathBus;
    let router: RouterWorker;
    let execution: ExecutionWorker;
    let observer: Consumer;
    let deadLetterObserver: Consumer;
    let booksTimer: NodeJS.Timeout | undefined;

    const startExecution = async (as = name, snapshotIntervalMs?: number) => {
      execution = new ExecutionWorker({ messages: bus.messages, codec: bus.codec, logger, limits, name: as, topics, ...(snapshotIntervalMs && { snapshotIntervalMs }) });
      await execution.start();
    };
    const of = <T extends { intentId: string }>(records: T[], intentId: string) => records.filter((record) => record.intentId === intentId);
    /** An intent's statuses on the topic, as "STATE filled/leaves[ rule]". */
    const statusesOf = (intentId: string) =>
      of(statuses, intentId).map(({ state, filledQuantity, leavesQuantity, rule }) => `${state} ${filledQuantity}/${leavesQuantity}${rule ? ` ${rule}` : ''}`);
    /** Every intent's statuses so far are numbered 0, 1, 2… in the order they are on the topic: none twice, none skipped. */
    const expectStatusesInSequence = () => {
      const numbers = new Map<string, number[]>();
      for (const { intentId, eventId } of statuses) numbers.set(intentId, [...(numbers.get(intentId) ?? []), statusNumber(eventId)!]);
      for (const [intentId, seen] of numbers) expect(seen, `the statuses of ${intentId}`).toEqual(seen.map((_, i) => i));
    };
    const publishIntent = async (intentId: string, amount: string) => {
      await bus.messages.publish(topics.intents, [intentMessage(intentId, { amount, limitPrice: '101' }, { eventId: `${intentId}:place` })]);
    };

    beforeAll(async () => {
      bus = connect();
      await bus.messages.prepare(Object.values(topics));
      observer = await bus.messages.subscribe({
        groupId: `observer-${randomUUID()}`,
        topics: [topics.routeDecisions, topics.orderCommands, topics.riskDecisions, topics.intentStatus, topics.intents, topics.alerts, topics.workerSnapshots],
        fromBeginning: true,
        handle: async (batch) => {
          for (const { topic, partition, offset, value } of batch) {
            if (topic === topics.workerSnapshots.name) snapshots.push(value as WorkerSnapshot);
            else if (topic === topics.routeDecisions.name) {
              decisions.push(value as RouteDecision);
              decisionPlaces.set((value as RouteDecision).intentId, { partition, offset: BigInt(offset) });
            } else if (topic === topics.alerts.name) alerts.push(value as Alert);
            else if (topic === topics.intentStatus.name) statuses.push(value as IntentStatus);
            else if (topic === topics.intents.name) intents.push(value as Intent);
            else if (topic === topics.orderCommands.name) commands.push(value as OrderCommand);
            else verdicts.push(value as RiskDecision);
          }
        },
      });
      deadLetterObserver = await bus.messages.bus.consume({
        groupId: `dead-letter-observer-${randomUUID()}`,
        topics: [topics.routeDecisions.deadLetter.name],
        fromBeginning: true,
        handleBatch: async (batch) => void deadDecisions.push(...batch.records),
      });
      // Two venues, 1 BTC each at the top: 1.5 BTC must split.
      await bus.messages.publish(topics.symbols, [spotMarket('binance'), spotMarket('okx')]);
      // The same books again every second, as connectors publish them: the router ignores a book older than 5 s.
      const publishBooks = () =>
        bus.messages.publish(topics.bookSnapshots, [
          oneLevelBook('binance', { price: '100', quantity: '1' }, { price: '99.9', quantity: '1' }),
          oneLevelBook('okx', { price: '100.5', quantity: '1' }, { price: '99.8', quantity: '1' }),
        ]);
      await publishBooks();
      booksTimer = setInterval(() => void publishBooks().catch(() => undefined), 1_000);
      // No venue executes what the router sends here: its books never lose what the legs took.
      router = new RouterWorker({ messages: bus.messages, logger, accounts: [{ venue: 'binance', account: 'main' }, { venue: 'okx', account: 'main' }], groupId: `router-test-${randomUUID()}`, topics, ownTakeSettleMs: 0 });
      await router.start();
      await startExecution();
      await waitFor('the router holds both books and markets', () => router.venuesFor('BTC/USDT').length === 2, WAIT_MS);
    }, 60_000);

    afterAll(async () => {
      clearInterval(booksTimer);
      await Promise.all([router?.stop(), execution?.stop(), observer?.stop(), deadLetterObserver?.stop()]);
      await bus?.close();
    });

    it('splits an intent larger than either top level into two risk-approved PLACE commands', async () => {
      const intentId = `split-${randomUUID().slice(0, 8)}`;
      await publishIntent(intentId, '1.5');
      await waitFor('two commands', () => of(commands, intentId).length === 2 && of(verdicts, intentId).length === 2, WAIT_MS);
      expect(of(decisions, intentId)).toHaveLength(1);
      expect(of(decisions, intentId)[0]!.legs.map(({ venue, quantity }) => [venue, quantity])).toEqual([['binance', '1'], ['okx', '0.5']]);
      const id = parseIntentId(intentId);
      expect(of(commands, intentId).map(({ type, venue, quantity, limitPrice, clientOrderId: coid }) => [type, venue, quantity, limitPrice, coid])).toEqual([
        ['PLACE', 'binance', '1', '100', clientOrderId(id, 0, 0)],
        ['PLACE', 'okx', '0.5', '100.5', clientOrderId(id, 1, 0)],
      ]);
      expect(of(verdicts, intentId).map(({ decision, rule, commandId }) => [decision, rule, commandId])).toEqual(of(commands, intentId).map(({ commandId }) => ['APPROVED', 'all', commandId]));
      await waitFor('its statuses', () => of(statuses, intentId).length === 2, WAIT_MS);
      expect(statusesOf(intentId)).toEqual(['ACCEPTED 0/1.5', 'WORKING 0/1.5']);
      expect(of(statuses, intentId)[1]).toMatchObject({ eventId: `${intentId}:status:1`, portfolio: 'p1', instrument: 'BTC/USDT', side: 'BUY', source: 'API', requestedQuantity: '1.5', averagePrice: null, fees: [] });
    }, 60_000);

    it('rejects the next intent under a kill switch with rule kill_switch, still sends the cancels it asks for, and raises an alert', async () => {
      const open = commands.filter(({ type }) => type === 'PLACE');
      const engage = { ...globalKillSwitch(true), cancelOpenOrders: true };
      await bus.messages.publish(topics.controlCommands, [engage]);
      await waitFor('a cancel of every open order', () => commands.filter(({ type }) => type === 'CANCEL').length === open.length, WAIT_MS);
      await waitFor('the kill switch alert', () => alerts.length === 1, WAIT_MS);
      expect(alerts[0]).toMatchObject({ eventId: `${engage.eventId}:alert`, code: 'KILL_SWITCH', severity: 'CRITICAL', subject: 'global' });
      expect(commands.filter(({ type }) => type === 'CANCEL').map(({ clientOrderId: coid }) => coid).sort()).toEqual(open.map(({ clientOrderId: coid }) => coid).sort());

      const intentId = `killed-${randomUUID().slice(0, 8)}`;
      await publishIntent(intentId, '1.5');
      await waitFor('two risk decisions', () => of(verdicts, intentId).length === 2, WAIT_MS);
      expect(of(verdicts, intentId).map(({ decision, rule }) => [decision, rule])).toEqual([['REJECTED', 'kill_switch'], ['REJECTED', 'kill_switch']]);
      expect(of(commands, intentId)).toEqual([]);
      await waitFor('its statuses', () => of(statuses, intentId).length === 2, WAIT_MS);
      expect(statusesOf(intentId)).toEqual(['ACCEPTED 0/1.5', 'REJECTED 0/0 kill_switch']);
      expect(of(statuses, intentId)[1]!.reason).toMatch(/^GLOBAL kill switch engaged/);
    }, 60_000);

    it('dead-letters the decision of an intent that breaks a domain rule, with its bytes and the reason, and goes on', async () => {
      const intentId = `unknown-${randomUUID().slice(0, 8)}`;
      const cancel = intentMessage(intentId, {}, { action: 'CANCEL', eventId: `${intentId}:cancel` });
      await bus.messages.publish(topics.intents, [cancel]);
      await waitFor('the dead letter', () => deadDecisions.length === 1, WAIT_MS);
      const decision = of(decisions, intentId)[0]!;
      expect(decision.intent).toEqual(cancel);
      await bus.codec.register([topics.routeDecisions]);
      expect(deadDecisions[0]!.value).toEqual(await bus.codec.encode(topics.routeDecisions, decision));
      expect(deadDecisions[0]!.headers[DEAD_LETTER_HEADERS.reason]).toBe(`intent ${intentId}: CANCEL of an unknown intent`);
      // A CANCEL of nothing is no intent: it has no status.
      expect(of(statuses, intentId)).toEqual([]);
    }, 60_000);

    it('after a restart, sends nothing it had sent and carries on from where it stopped', async () => {
      const before = commands.length;
      await execution.stop();
      await bus.messages.publish(topics.controlCommands, [globalKillSwitch(false)]);
      await startExecution();
      await waitFor('the replay and the release read', () => execution.appliedCount(topics.controlCommands.name) === 2 && execution.appliedCount(topics.routeDecisions.name) === decisions.length, WAIT_MS);

      const intentId = `after-${randomUUID().slice(0, 8)}`;
      await publishIntent(intentId, '0.5');
      await waitFor('the new intent placed', () => of(commands, intentId).length === 1, WAIT_MS);
      expect(of(commands, intentId)[0]!.clientOrderId).toBe(clientOrderId(parseIntentId(intentId), 0, 0));
      expect(commands).toHaveLength(before + 1);
      // The replayed engage said nothing again; the release was said once.
      expect(alerts.map(({ severity, code }) => `${severity} ${code}`)).toEqual(['CRITICAL KILL_SWITCH', 'INFO KILL_SWITCH']);
      const sent = commands.map(({ type, clientOrderId: coid }) => `${type} ${coid}`);
      expect(new Set(sent).size).toBe(sent.length);
      // The replay read the invalid decision again; its letter went out in the run that handled it.
      expect(deadDecisions).toHaveLength(1);
      // The statuses of the intents before were not published again (the new intent's come after the replay's on the partition).
      await waitFor('the new intent\'s statuses', () => of(statuses, intentId).length === 2, WAIT_MS);
      expect(statusesOf(intentId)).toEqual(['ACCEPTED 0/0.5', 'WORKING 0/0.5']);
      expectStatusesInSequence();
      expect(statuses.filter(({ intentId: id }) => !id.startsWith('after-'))).toHaveLength(4);
    }, 60_000);

    it('routes what a rejected leg left to the other venue, never more than the intent may still fill', async () => {
      const intentId = `reroute-${randomUUID().slice(0, 8)}`;
      await publishIntent(intentId, '1.5');
      await waitFor('two legs placed', () => of(commands, intentId).length === 2, WAIT_MS);
      const [binance] = of(commands, intentId);
      await bus.messages.publish(topics.orderEvents, [orderEvent(binance!, { event: 'REJECTED', state: 'REJECTED', previousState: 'PENDING_NEW', reason: 'connect ECONNREFUSED' })]);
      await waitFor('the re-routed leg', () => of(commands, intentId).length === 3, WAIT_MS);
      expect(of(intents, intentId).filter(({ action }) => action === 'REROUTE').map(({ avoidVenues, order }) => [avoidVenues, order?.amount])).toEqual([[['binance'], '1']]);
      const reroute = of(decisions, intentId)[1]!;
      expect(reroute.candidates.find(({ venue }) => venue === 'binance')?.reason).toBe('avoided: a leg of this intent failed there');
      // okx still shows 1 at its top; 1.5 - 0.5 working there = 1 may be placed, as leg 2.
      expect(of(commands, intentId)[2]).toMatchObject({ type: 'PLACE', venue: 'okx', quantity: '1', clientOrderId: clientOrderId(parseIntentId(intentId), 2, 0) });

      // Its status: working all along (the rejected leg's quantity went round again), then filled in two parts, then done.
      const [, okx, rerouted] = of(commands, intentId);
      const fillOf = ({ venue, account, portfolio, clientOrderId: id, instrument, side }: OrderCommand, quantity: string, price: string) =>
        fill({ venue, account, portfolio, clientOrderId: id, intentId, instrument, side, quantity, price, fee: '0.01', venueTradeId: `t-${id}` });
      await bus.messages.publish(topics.fills, [fillOf(rerouted!, '1', '100.5')]);
      await waitFor('the partial fill\'s status', () => of(statuses, intentId).length === 3, WAIT_MS);
      await bus.messages.publish(topics.fills, [fillOf(okx!, '0.5', '100.5')]);
      await waitFor('the second fill\'s status', () => of(statuses, intentId).length === 4, WAIT_MS);
      const filled = (command: OrderCommand, quantity: string) => orderEvent(command, { event: 'FILLED', state: 'FILLED', previousState: 'PENDING_NEW', filledQuantity: quantity, remainingQuantity: '0' });
      await bus.messages.publish(topics.orderEvents, [filled(okx!, '0.5'), filled(rerouted!, '1')]);
      await waitFor('DONE', () => of(statuses, intentId).at(-1)?.state === 'DONE', WAIT_MS);
      expect(statusesOf(intentId)).toEqual(['ACCEPTED 0/1.5', 'WORKING 0/1.5', 'PARTIALLY_FILLED 1/0.5', 'PARTIALLY_FILLED 1.5/0', 'DONE 1.5/0']);
      expect(of(statuses, intentId).at(-1)).toMatchObject({ averagePrice: '100.5', fees: [{ currency: 'USDT', amount: '0.02' }] });
      expectStatusesInSequence();
    }, 60_000);

    it('after a restart from its snapshot, reads only what came after it and sends nothing it had sent', async () => {
      await execution.stop();
      const snapshotted = `${name}-snapshots`;
      await startExecution(snapshotted, 100);
      await waitFor('the whole history read', () => execution.appliedCount(topics.routeDecisions.name) === decisions.length, WAIT_MS);
      const intentId = `snap-${randomUUID().slice(0, 8)}`;
      await publishIntent(intentId, '0.5');
      await waitFor('the new intent placed', () => of(commands, intentId).length === 1, WAIT_MS);
      // A snapshot taken before this intent's decision was folded would have it read again.
      const pastDecision = (snapshot: WorkerSnapshot) => {
        const place = decisionPlaces.get(intentId);
        return place !== undefined && snapshot.worker === snapshotted && snapshot.inputs.some(({ topic, partition, offset }) => topic === topics.routeDecisions.name && partition === place.partition && BigInt(offset) > place.offset);
      };
      await waitFor('a snapshot past the new intent\'s decision', () => snapshots.some(pastDecision), WAIT_MS);
      await execution.stop();
      const before = commands.length;

      const later = `snap-later-${randomUUID().slice(0, 8)}`;
      await publishIntent(later, '0.5');
      await startExecution(snapshotted, 100);
      await waitFor('the intent after the snapshot placed', () => of(commands, later).length === 1, WAIT_MS);
      // The decisions before the snapshot were not read again: only the one after it.
      expect(execution.appliedCount(topics.routeDecisions.name)).toBe(1);
      expect(commands).toHaveLength(before + 1);
      expect(of(commands, later)[0]!.clientOrderId).toBe(clientOrderId(parseIntentId(later), 0, 0));
      const sent = commands.map(({ type, clientOrderId: coid }) => `${type} ${coid}`);
      expect(new Set(sent).size).toBe(sent.length);
      // The statuses: the intent before the snapshot's said once, the one after it reported, nothing again.
      await waitFor('the later intent\'s statuses', () => of(statuses, later).length === 2, WAIT_MS);
      expect(statusesOf(intentId)).toEqual(['ACCEPTED 0/0.5', 'WORKING 0/0.5']);
      expect(statusesOf(later)).toEqual(['ACCEPTED 0/0.5', 'WORKING 0/0.5']);
      expectStatusesInSequence();
    }, 90_000);

    it('after a crash that lost every progress commit, re-reads everything live and still sends no PLACE twice', async () => {
      const places = () => commands.filter(({ type }) => type === 'PLACE').map(({ clientOrderId: coid }) => coid);
      const before = places();
      const statusesBefore = statuses.length;
      await execution.stop();
      // A name with no progress group: every input is above the boundary, as if no commit had landed.
      await startExecution(`${name}-lost-progress`);
      await waitFor('the re-read', () => execution.appliedCount(topics.routeDecisions.name) === decisions.length, WAIT_MS);
      const intentId = `lost-${randomUUID().slice(0, 8)}`;
      await publishIntent(intentId, '0.5');
      await waitFor('the new intent placed', () => of(commands, intentId).length === 1, WAIT_MS);
      expect(places()).toEqual([...before, clientOrderId(parseIntentId(intentId), 0, 0)]);
      // Every input read live again, and no status said again: the read-back holds what was published.
      await waitFor('the new intent\'s statuses', () => of(statuses, intentId).length === 2, WAIT_MS);
      expect(statuses).toHaveLength(statusesBefore + 2);
      expectStatusesInSequence();
    }, 60_000);

    it('reports an intent the execution path does not execute REJECTED with the rule and why, and dead-letters its decision', async () => {
      const intentId = `iceberg-${randomUUID().slice(0, 8)}`;
      const lettersBefore = deadDecisions.length;
      await bus.messages.publish(topics.intents, [intentMessage(intentId, { amount: '0.5', limitPrice: '101', icebergQuantity: '0.1' }, { eventId: `${intentId}:place` })]);
      await waitFor('its status', () => of(statuses, intentId).length === 1, WAIT_MS);
      expect(statusesOf(intentId)).toEqual(['REJECTED 0/0 not_executed:order.timeInForce']);
      expect(of(statuses, intentId)[0]).toMatchObject({ eventId: `${intentId}:status:0`, requestedQuantity: '0.5', reason: expect.stringMatching(/^an iceberg rests in slices until filled or cancelled: its time in force is GTC, not IOC/) });
      await waitFor('the dead letter', () => deadDecisions.length === lettersBefore + 1, WAIT_MS);
      expect(of(commands, intentId)).toEqual([]);
      expectStatusesInSequence();
    }, 60_000);

    it('holds a stop armed across a restart of the worker holding it, and fires it once when a book crosses its price', async () => {
      const intentId = `stop-${randomUUID().slice(0, 8)}`;
      // A market SELL of 0.5 that stops out at 99; the books' mid is 99.95.
      await bus.messages.publish(topics.intents, [intentMessage(intentId, { side: 'SELL', amount: '0.5', trigger: { type: 'STOP', triggerPrice: '99' } }, { eventId: `${intentId}:place` })]);
      await waitFor('the stop armed', () => of(statuses, intentId).length === 1, WAIT_MS);
      expect(statusesOf(intentId)).toEqual(['ACCEPTED 0/0.5']);
      await execution.stop();
      await startExecution();
      await waitFor('the replay read', () => execution.appliedCount(topics.routeDecisions.name) === decisions.length, WAIT_MS);
      expect(of(commands, intentId)).toEqual([]);
      // The market falls through 99 on binance (again each time, as a moving market would: the
      // restarted worker marks only books that arrive once it reads them).
      await waitFor('the fire, then its leg', async () => {
        await bus.messages.publish(topics.bookSnapshots, [oneLevelBook('binance', { price: '98.6', quantity: '1' }, { price: '98.4', quantity: '1' })]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        return of(commands, intentId).length === 1;
      }, WAIT_MS);
      expect(of(intents, intentId).map(({ action, reroutes }) => `${action} ${reroutes}`)).toEqual([`PLACE null`, `REROUTE ${intentId}:place`]);
      expect(of(commands, intentId).map(({ type, side, quantity }) => `${type} ${side} ${quantity}`)).toEqual(['PLACE SELL 0.5']);
      expectStatusesInSequence();
    }, 60_000);
  });
}
