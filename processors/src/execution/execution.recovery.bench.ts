/**
 * Execution recovery benchmark: how long an execution worker takes to be live again over a long
 * history, through real Kafka and the schema registry. The history: N intents of one portfolio
 * (one partition, the worst case), each with its route decision, the PLACE, risk decision and
 * intent statuses an earlier run published for it, its FILLED event and 10 partial fills
 * (N = 100,000: 1,000,000 fills), all below that earlier run's committed progress. Then, in this process:
 * 1. a worker with no snapshot to start from folds the whole history (replay from offset 0) and
 *    snapshots its state;
 * 2. 1 % more intents arrive while it is down (the tail);
 * 3. a worker restores the snapshot and reads only the tail.
 * Each figure is the time from start() until every consumer has caught up (what /readyz waits
 * for). Prints, never asserts.
 * Run: npx tsx processors/src/execution/execution.recovery.bench.ts (needs the local stack).
 * BENCH_RECOVERY_INTENTS (default 100,000).
 */
import { randomUUID } from 'node:crypto';
import { createLogger, kafkaMessageBus, partitionForKey, resolveEndpoints, type MessageBus } from '@crossvenue/runtime';
import { clientOrderId, parseIntentId, RegistryCodec, type Fill, type IntentStatus, type OrderCommand, type OrderEvent, type RiskDecision, type RouteDecision, type TopicDefinition } from '@crossvenue/schemas';
import { intentMessage } from '../intents/intentFixtures.ts';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { parseRiskLimits } from '../risk/RiskLimits.ts';
import { fill, orderEvent } from '../risk/riskFixtures.ts';
import { privateTopics } from './executionFixtures.ts';
import { ExecutionWorker } from './ExecutionWorker.ts';
import { PortfolioExecution } from './PortfolioExecution.ts';
import { routeDecisionId } from './routeDecisionId.ts';

const INTENTS = Number(process.env.BENCH_RECOVERY_INTENTS ?? 100_000);
const FILLS_PER_INTENT = 10;
const TAIL = Math.max(1, Math.floor(INTENTS / 100));
const PORTFOLIO = 'bench';
// One send is one record batch per partition, which the broker takes up to 1 MiB.
const CHUNK = 1_000;

const logger = createLogger('execution-recovery-bench', { level: process.env.BENCH_LOG ?? 'error' });
const endpoints = resolveEndpoints();
const run = randomUUID().slice(0, 8);
const topics = privateTopics(`recovery-${run}`);
const name = `execution-recovery-${run}`;
const limits = parseRiskLimits({ currency: 'USDT', rateWindowMs: 1_000, portfolio: {} });
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** What an earlier run read and published for intents [from, to): every record of the history. */
function history(earlier: PortfolioExecution, from: number, to: number) {
  const decisions: RouteDecision[] = [];
  const commands: OrderCommand[] = [];
  const verdicts: RiskDecision[] = [];
  const statuses: IntentStatus[] = [];
  const events: OrderEvent[] = [];
  const fills: Fill[] = [];
  for (let i = from; i < to; i++) {
    const intent = intentMessage(`rec-${run}-${i}`, { amount: '0.01', limitPrice: '101' }, { portfolio: PORTFOLIO, eventId: `rec-${run}-${i}:place` });
    const decision: RouteDecision = {
      eventId: routeDecisionId(intent.eventId), intentId: intent.intentId, portfolio: PORTFOLIO, instrument: intent.instrument, side: 'BUY', quantity: '0.01',
      candidates: [], legs: [{ leg: 0, venue: 'binance', account: 'main', quantity: '0.01', limitPrice: '100', expectedAveragePrice: '100', expectedFee: '0' }],
      totalExpectedCost: '1', costCurrency: 'USDT', arrivalMid: '100', decidedAtMs: i, intent, conversion: null,
    };
    const output = earlier.routeDecision(decision);
    decisions.push(decision);
    commands.push(...output.commands);
    verdicts.push(...output.riskDecisions);
    statuses.push(...output.statuses);
    for (const command of output.commands) {
      const { venue, account, intentId, instrument, side } = command;
      const filled = orderEvent(command, { event: 'FILLED', state: 'FILLED', filledQuantity: '0.01', remainingQuantity: '0' });
      // Read back by the earlier run too: risk's open orders stay few, as on a desk whose orders fill.
      statuses.push(...earlier.orderEvent(filled).statuses);
      events.push(filled);
      for (let f = 0; f < FILLS_PER_INTENT; f++) {
        const partial = fill({ venue, account, portfolio: PORTFOLIO, clientOrderId: clientOrderId(parseIntentId(intentId), 0, 0), intentId, instrument, side, quantity: '0.001', venueTradeId: `t-${i}-${f}` });
        // Applied too: the statuses published say what the fills did, as a replay will derive.
        statuses.push(...earlier.fill(partial).statuses);
        fills.push(partial);
      }
    }
  }
  return { decisions, commands, verdicts, statuses, events, fills };
}

async function publishAll(messages: MessageBus, topic: TopicDefinition, values: unknown[]): Promise<void> {
  for (let i = 0; i < values.length; i += CHUNK) await messages.publish(topic, values.slice(i, i + CHUNK) as never[]);
}

async function publishHistory(messages: MessageBus, records: ReturnType<typeof history>): Promise<void> {
  await publishAll(messages, topics.routeDecisions, records.decisions);
  await publishAll(messages, topics.orderCommands, records.commands);
  await publishAll(messages, topics.riskDecisions, records.verdicts);
  await publishAll(messages, topics.intentStatus, records.statuses);
  await publishAll(messages, topics.orderEvents, records.events);
  await publishAll(messages, topics.fills, records.fills);
}

/** Starts a worker on a bus of its own and times it until every consumer has caught up. */
async function timedStart(options: { snapshots: boolean; snapshotIntervalMs?: number }): Promise<{ worker: ExecutionWorker; messages: MessageBus; ms: number }> {
  const messages = kafkaMessageBus(`${name}-${randomUUID().slice(0, 4)}`, logger, { endpoints });
  const worker = new ExecutionWorker({ messages, codec: new RegistryCodec(endpoints.schemaRegistryUrl), logger, limits, name, topics, ...options });
  const started = Date.now();
  await worker.start();
  for (;;) {
    if (messages.catchUp().caughtUp && worker.heldPartitions().length > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { worker, messages, ms: Date.now() - started };
}

console.log(`execution recovery benchmark (${new Date().toISOString()}): ${INTENTS.toLocaleString('en-US')} intents, ${(INTENTS * FILLS_PER_INTENT).toLocaleString('en-US')} fills, one portfolio`);
const publisher = kafkaMessageBus(`${name}-publisher`, logger, { endpoints });
await publisher.prepare(Object.values(topics));
const earlier = new PortfolioExecution({ risk: new RiskEngine(limits, Date.now), logger, clock: Date.now, newId: randomUUID });
// In slices, so that the history never sits in memory whole beside the workers' state.
let total = 0;
const started = Date.now();
for (let from = 0; from < INTENTS; from += CHUNK) {
  const slice = history(earlier, from, Math.min(INTENTS, from + CHUNK));
  // As a worker does after each batch: the generator's own state does not weigh on the workers' memory.
  earlier.retireEnded();
  await publishHistory(publisher, slice);
  total += slice.decisions.length + slice.commands.length + slice.verdicts.length + slice.statuses.length + slice.events.length + slice.fills.length;
}
console.log(`an earlier run's history of ${total.toLocaleString('en-US')} records decided and published in ${seconds(Date.now() - started)}`);

// The earlier run's progress: everything above was handled and its outputs published.
const partition = partitionForKey(topics.routeDecisions.name, PORTFOLIO, topics.routeDecisions.partitions);
const progress = await publisher.bus.transaction(`${name}-p${partition}`);
const ends = [];
for (const topic of [topics.routeDecisions, topics.orderEvents, topics.fills]) ends.push(...(await publisher.bus.endOffsets(topic.name)).filter((end) => end.partition === partition));
await progress.commitOffsets(`${name}-progress-p${partition}`, ends);
await progress.commit();

const replay = await timedStart({ snapshots: true, snapshotIntervalMs: 1_000 });
console.log(`replay from offset 0: live in ${seconds(replay.ms)} (${replay.worker.appliedCount(topics.fills.name).toLocaleString('en-US')} fills folded); waiting for its snapshot…`);
const snapshotTaken = async () => (await publisher.bus.endOffsets(topics.workerSnapshots.name)).some((end) => end.partition === partition && end.offset !== '0');
while (!(await snapshotTaken())) await new Promise((resolve) => setTimeout(resolve, 100));
await replay.worker.stop();
await replay.messages.bus.close();

await publishHistory(publisher, history(earlier, INTENTS, INTENTS + TAIL));
const recovery = await timedStart({ snapshots: true });
const snapshots = await publisher.bus.endOffsets(topics.workerSnapshots.name);
await recovery.worker.stop();
await recovery.messages.bus.close();
await publisher.bus.close();

const tailFills = recovery.worker.appliedCount(topics.fills.name);
console.log(`${'start'.padEnd(44)} ${'ready in'.padStart(10)}`);
console.log(`${'replay from offset 0 (no snapshot)'.padEnd(44)} ${seconds(replay.ms).padStart(10)}`);
console.log(`${`from the snapshot + a tail of ${TAIL.toLocaleString('en-US')} intents`.padEnd(44)} ${seconds(recovery.ms).padStart(10)}`);
console.log(`the recovered worker read ${tailFills.toLocaleString('en-US')} fills after the snapshot (${snapshots.find((end) => end.partition === partition)?.offset ?? 0} snapshots written)`);
console.log(`result: recovery ${seconds(recovery.ms)} beside a full replay of ${seconds(replay.ms)} (aim: ready in ≤ 5 s)`);
