import { randomUUID } from 'node:crypto';
import {
  TOPICS,
  type Codec,
  type ControlCommand,
  type Fill,
  type Intent,
  type OrderEvent,
  type RouteDecision,
  type TopicDefinition,
} from '@crossvenue/schemas';
import {
  type Consumer,
  type Delivered,
  type ExecutionMetrics,
  type Logger,
  type MessageBus,
  type OutgoingRecord,
  TransactionalOutbox,
} from '@crossvenue/runtime';
import { RiskEngine } from '../risk/RiskEngine.ts';
import type { RiskLimits } from '../risk/RiskLimits.ts';
import { applyOrDeadLetter } from '../worker/applyOrDeadLetter.ts';
import { PortfolioExecution, type ExecutionOutput } from './PortfolioExecution.ts';
import { ReplayBoundary } from './ReplayBoundary.ts';
import { FillSlippage } from './FillSlippage.ts';

export interface ExecutionTopics {
  intents: typeof TOPICS.intents;
  routeDecisions: typeof TOPICS.routeDecisions;
  orderEvents: typeof TOPICS.orderEvents;
  fills: typeof TOPICS.fills;
  controlCommands: typeof TOPICS.controlCommands;
  orderCommands: typeof TOPICS.orderCommands;
  riskDecisions: typeof TOPICS.riskDecisions;
  alerts: typeof TOPICS.alerts;
}

export interface ExecutionWorkerOptions {
  messages: MessageBus;
  /** Encodes what is published inside a transaction (MessageBus publishes outside them). */
  codec: Codec;
  logger: Logger;
  limits: RiskLimits;
  /**
   * Names the transactional id and the progress group (`<name>-progress`). One running instance
   * per name: a second start with the same name fences the first (Kafka transactional fencing).
   */
  name?: string;
  /** The catalogue topics unless given (tests and benchmarks use their own). */
  topics?: ExecutionTopics;
  clock?: () => number;
  /** Measures each live fill against the router's expected price (FillSlippage); nothing when absent. */
  metrics?: ExecutionMetrics;
}

/** Outputs of applied records not handed to the outbox yet, and the input offset they reach. */
interface Unpublished {
  output: ExecutionOutput;
  nextOffset: string | null;
}

/** Outbox entries beyond which reading waits for commits (the broker is slow or away). */
const MAX_UNCOMMITTED = 1_000;

/**
 * Risk and execution state on the bus: reads intents, route decisions, order events, fills and
 * control commands, and publishes risk-checked order commands, every risk decision, the
 * intents it asks the router to route (re-routes, flatten orders; PortfolioExecution says when),
 * and an alert for each kill switch engaged or released.
 *
 * Restart safety (a restarted worker never sends a command twice), by Kafka transactions:
 * - State is the fold of the inputs, so every start replays them from the beginning in a fresh
 *   consumer group (as PositionsWorker does; one instance owns every portfolio partition).
 * - The outputs of a batch are published in a transaction together with the commit of the
 *   batch's next offset to a progress group (TransactionalOutbox: one transaction carries every
 *   batch handled while the previous one committed). Both become visible, or neither: a crash
 *   before the commit leaves no command readable (connectors read committed records only) and no
 *   progress, so the batch is live again on restart; a crash after leaves both.
 * - At start the worker reads the progress group's offsets (ReplayBoundary): records below them
 *   were handled and their outputs published, so they only rebuild state; from there on it is live.
 * Why not consume its own order commands instead: knowing when that replay has caught up needs
 * each partition's end offset (empty partitions never deliver a batch), and a command read back
 * still races the route decision that made it across topics; the transaction has neither gap.
 *
 * Known limit: a replay re-derives state from the inputs in the order it reads them; across
 * topics that can differ from the first run (a kill switch read before a route decision it
 * followed), so rebuilt exposure can differ from what was published until the venues report.
 */
export class ExecutionWorker {
  private readonly topics: ExecutionTopics;
  private readonly name: string;
  private readonly execution: PortfolioExecution;
  private boundary: ReplayBoundary | undefined;
  private consumer: Consumer | undefined;
  private outbox: TransactionalOutbox | undefined;
  /** Per partition, the next offset to apply: a batch delivered again after a failed publish is not applied twice. */
  private readonly applied = new Map<string, bigint>();
  private readonly unpublished = new Map<string, Unpublished>();
  private readonly appliedCounts = new Map<string, number>();
  private readonly slippage: FillSlippage | undefined;

  constructor(private readonly options: ExecutionWorkerOptions) {
    this.slippage = options.metrics && new FillSlippage(options.metrics);
    this.topics = options.topics ?? TOPICS;
    this.name = options.name ?? 'execution';
    const clock = options.clock ?? Date.now;
    this.execution = new PortfolioExecution({ risk: new RiskEngine(options.limits, clock), logger: options.logger, clock, newId: randomUUID });
  }

  private get inputs(): TopicDefinition[] {
    const { intents, routeDecisions, orderEvents, fills, controlCommands } = this.topics;
    return [intents, routeDecisions, orderEvents, fills, controlCommands];
  }

  async start(): Promise<void> {
    const { messages, codec } = this.options;
    await codec.register([this.topics.orderCommands, this.topics.riskDecisions, this.topics.intents, this.topics.alerts]);
    this.boundary = await ReplayBoundary.load(messages.bus, this.progressGroup, this.inputs.map((topic) => topic.name));
    this.outbox = new TransactionalOutbox(messages.bus, this.name, this.progressGroup, this.options.logger);
    this.consumer = await messages.subscribe({
      groupId: `${this.name}-replay-${randomUUID()}`,
      topics: this.inputs,
      fromBeginning: true,
      handle: (batch) => this.handle(batch),
    });
  }

  /** Stops reading, then waits for what was handled to commit. */
  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.outbox?.drain();
  }

  /** How many records of `topic` this run has applied, replayed ones included (tests wait on it). */
  appliedCount(topic: string): number {
    return this.appliedCounts.get(topic) ?? 0;
  }

  private get progressGroup(): string {
    return `${this.name}-progress`;
  }

  private async handle(batch: Array<Delivered<unknown>>): Promise<void> {
    const { topic, partition } = batch[0]!;
    const id = `${topic}\u0000${partition}`;
    // Kept until it is in the outbox: if applying or encoding throws, the redelivered batch skips
    // what was applied and still sends what it produced.
    const pending = this.unpublished.get(id) ?? { output: { commands: [], riskDecisions: [], intents: [], alerts: [] }, nextOffset: null };
    this.unpublished.set(id, pending);
    const replayed = (record: Delivered<unknown>) => this.boundary!.isReplay(topic, partition, record.offset);
    const unapplied = batch.filter((record) => BigInt(record.offset) >= (this.applied.get(id) ?? 0n));
    // Dead letters go out at once, outside the transaction (MessageBus publishes them): the progress
    // past an invalid record is queued only after its letter is out, so a crash may repeat a letter
    // (harmless) but never lose one, and a replay sends none again.
    const source = this.inputs.find(({ name }) => name === topic)!;
    await applyOrDeadLetter(this.options, source, unapplied, (record) => {
      const output = this.apply(record);
      this.applied.set(id, BigInt(record.offset) + 1n);
      this.appliedCounts.set(topic, this.appliedCount(topic) + 1);
      if (topic === this.topics.routeDecisions.name) this.slippage?.routeDecision(record.value as RouteDecision);
      if (replayed(record)) return;
      if (topic === this.topics.fills.name) this.slippage?.fill(record.value as Fill);
      pending.output.commands.push(...output.commands);
      pending.output.riskDecisions.push(...output.riskDecisions);
      pending.output.intents.push(...output.intents);
      pending.output.alerts.push(...output.alerts);
    }, replayed);
    // Every record of the batch is now applied or dead-lettered.
    const last = unapplied.at(-1);
    if (last) {
      this.applied.set(id, BigInt(last.offset) + 1n);
      if (!replayed(last)) pending.nextOffset = String(BigInt(last.offset) + 1n);
    }
    if (pending.nextOffset !== null) this.outbox!.add(await this.encodeOutput(pending.output), { topic, partition, offset: pending.nextOffset });
    this.unpublished.delete(id);
    if (this.outbox!.pending > MAX_UNCOMMITTED) await this.outbox!.drain();
  }

  /** Folds one input into the execution state; throws InvalidInputError for one that breaks a domain rule. */
  private apply({ topic, value }: Delivered<unknown>): ExecutionOutput {
    const { intents, routeDecisions, orderEvents, fills } = this.topics;
    if (topic === intents.name) return this.execution.intent(value as Intent);
    if (topic === routeDecisions.name) return this.execution.routeDecision(value as RouteDecision);
    if (topic === orderEvents.name) return this.execution.orderEvent(value as OrderEvent);
    if (topic === fills.name) return this.execution.fill(value as Fill);
    return this.execution.control(value as ControlCommand);
  }

  private async encodeOutput(output: ExecutionOutput): Promise<OutgoingRecord[]> {
    return [
      ...(await this.encode(this.topics.orderCommands, output.commands)),
      ...(await this.encode(this.topics.riskDecisions, output.riskDecisions)),
      ...(await this.encode(this.topics.intents, output.intents)),
      ...(await this.encode(this.topics.alerts, output.alerts)),
    ];
  }

  private async encode<T extends TopicDefinition>(topic: T, values: unknown[]): Promise<OutgoingRecord[]> {
    const key = topic.key as (value: unknown) => string;
    return Promise.all(values.map(async (value) => ({ topic: topic.name, key: key(value), value: await this.options.codec.encode(topic, value) })));
  }
}
