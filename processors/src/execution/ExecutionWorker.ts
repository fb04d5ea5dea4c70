import { randomUUID } from 'node:crypto';
import {
  TOPICS,
  type Codec,
  type ControlCommand,
  type Fill,
  type Intent,
  type OrderCommand,
  type OrderEvent,
  type RiskDecision,
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
  ProgressCommits,
} from '@crossvenue/runtime';
import { RiskEngine } from '../risk/RiskEngine.ts';
import type { RiskLimits } from '../risk/RiskLimits.ts';
import { applyOrDeadLetter } from '../worker/applyOrDeadLetter.ts';
import { emptyOutput, mergeOutput, PortfolioExecution, type ExecutionOutput } from './PortfolioExecution.ts';
import { ReplayBoundary } from './ReplayBoundary.ts';
import { FillSlippage } from './FillSlippage.ts';

export interface ExecutionTopics {
  intents: typeof TOPICS.intents;
  bookSnapshots: typeof TOPICS.bookSnapshots;
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
  /** Encodes the outputs, published together in one send per batch. */
  codec: Codec;
  logger: Logger;
  limits: RiskLimits;
  /**
   * Names the transactional id that commits progress and the progress group (`<name>-progress`).
   * One running instance per name: a second start with the same name fences the first's progress
   * commits (Kafka transactional fencing): they fail from then on, and it never advances again.
   */
  name?: string;
  /** The catalogue topics unless given (tests and benchmarks use their own). */
  topics?: ExecutionTopics;
  clock?: () => number;
  /** Measures each live fill against the router's expected price (FillSlippage); nothing when absent. */
  metrics?: ExecutionMetrics;
}

/** Outputs of applied records not published yet, and the input offset they reach. */
interface Unpublished {
  output: ExecutionOutput;
  nextOffset: string | null;
}

/** Progress entries beyond which reading waits for their commits (the broker is slow or away). */
const MAX_UNCOMMITTED = 1_000;
/**
 * The least time between progress commits: each is a transaction the broker works at, and a crash
 * only re-reads live what the last one did not cover (adopting what was sent).
 */
const PROGRESS_COMMIT_INTERVAL_MS = 100;
/** How often a worker still catching up asks whether it has. */
const CATCH_UP_POLL_MS = 50;
/** How long the worker waits to read its own decisions back at start before it gives up. */
const READ_BACK_TIMEOUT_MS = 60_000;

/**
 * Risk and execution state on the bus: reads intents, route decisions, order events, fills and
 * control commands (the fold), and book snapshots for marks; publishes risk-checked order commands, every risk decision, the
 * intents it asks the router to route (re-routes, flatten orders; PortfolioExecution says when),
 * and an alert for each kill switch engaged or released and each drawdown stop a market move
 * reaches or clears.
 *
 * The join of an intent with its route decision: a decision's event id names the intent message
 * it routed (`route:<intent event id>`); PortfolioExecution holds a decision read before its
 * intent message and places it once that message is read.
 *
 * Exactly once without a transaction on the hot path (the argument, crash point by crash point, is
 * in CRASH_POINTS.md beside this file):
 * - Outputs are published as soon as a batch is applied, by the idempotent producer (a retried
 *   send is written once). Only then is the batch's next offset queued for the progress group,
 *   committed in the background in offsets-only transactions (ProgressCommits), at most one
 *   per PROGRESS_COMMIT_INTERVAL_MS, each taking every offset queued
 *   meanwhile. So the progress group never runs ahead of what was published.
 * - State is the fold of the inputs: every start replays them from the beginning in a fresh
 *   consumer group. Records below the progress group's offsets (ReplayBoundary) were handled and
 *   their outputs published, so they only rebuild state; the ones above are read live.
 * - Before reading its inputs, the worker reads its own order commands and risk decisions back to
 *   the end. A route decision already decided (a PLACE sent for it, OrderCommand.routeDecisionId,
 *   or refused by risk) adopts the legs it sent instead of deciding again, wherever it falls. So a
 *   crash after publishing and before the progress commit resends no PLACE; it can repeat a
 *   cancel or a re-route request, each harmless (a re-route is capped at what the intent may
 *   still fill).
 * - Until the replay has caught up with the end its inputs had at start, nothing is placed and no
 *   re-route is asked for: a later decision's legs, which an earlier run may have sent, are not
 *   adopted yet. Then PortfolioExecution.caughtUp places the decisions read live, asks the
 *   re-routes that events read live need, and cancels live legs the desired state no longer wants;
 *   the progress of the batches read meanwhile is queued only once that is published.
 * - Re-reading topics side by side can meet an order event before the decision that placed its
 *   order: PortfolioExecution holds it until the leg exists (HeldForLeg).
 */
export class ExecutionWorker {
  private readonly topics: ExecutionTopics;
  private readonly name: string;
  private readonly execution: PortfolioExecution;
  private boundary: ReplayBoundary | undefined;
  private consumer: Consumer | undefined;
  private marks: Consumer | undefined;
  private progress: ProgressCommits | undefined;
  /** Per partition, the next offset to apply: a batch delivered again after a failed publish is not applied twice. */
  private readonly applied = new Map<string, bigint>();
  private readonly unpublished = new Map<string, Unpublished>();
  private readonly appliedCounts = new Map<string, number>();
  private readonly slippage: FillSlippage | undefined;
  /** caughtUp()'s output until it is published (it is asked for once: it moves the state on). */
  private catchUpOutput: ExecutionOutput | undefined;
  /** Asks whether the replay has caught up while no input arrives (the last backlog batch is counted after it is handled). */
  private catchUpPoll: NodeJS.Timeout | undefined;
  /** One batch or catch-up check at a time: both publish what PortfolioExecution decided, in order. */
  private turn: Promise<void> = Promise.resolve();
  /**
   * Progress of the batches applied while catching up, queued only once caughtUp()'s output is
   * published: what PortfolioExecution placed or asked for then belongs to records read before.
   */
  private progressWhileCatchingUp: Map<string, { topic: string; partition: number; offset: string }> | null = new Map();

  constructor(private readonly options: ExecutionWorkerOptions) {
    this.slippage = options.metrics && new FillSlippage(options.metrics);
    this.topics = options.topics ?? TOPICS;
    this.name = options.name ?? 'execution';
    const clock = options.clock ?? Date.now;
    this.execution = new PortfolioExecution({ risk: new RiskEngine(options.limits, clock), logger: options.logger, clock, newId: randomUUID, replaying: true });
  }

  private get inputs(): TopicDefinition[] {
    const { intents, routeDecisions, orderEvents, fills, controlCommands } = this.topics;
    return [intents, routeDecisions, orderEvents, fills, controlCommands];
  }

  async start(): Promise<void> {
    const { messages, codec } = this.options;
    await codec.register([this.topics.orderCommands, this.topics.riskDecisions, this.topics.intents, this.topics.alerts]);
    this.boundary = await ReplayBoundary.load(messages.bus, this.progressGroup, this.inputs.map((topic) => topic.name));
    this.progress = new ProgressCommits(messages.bus, this.name, this.progressGroup, this.options.logger, PROGRESS_COMMIT_INTERVAL_MS);
    await this.readBackDecisions();
    this.consumer = await messages.subscribe({
      groupId: `${this.name}-replay-${randomUUID()}`,
      topics: this.inputs,
      fromBeginning: true,
      handle: (batch) => this.inTurn(() => this.handle(batch)),
    });
    this.catchUpPoll = setInterval(() => {
      this.inTurn(() => this.afterCatchingUp()).catch((error: unknown) => this.options.logger.warn({ err: error }, 'publishing what catching up decided failed; trying again'));
    }, CATCH_UP_POLL_MS);
    // Marks from the books as they move, outside the fold: exposure and drawdown are valued at the
    // market now, not at the mid of the last intent routed. Only new books: a mark is the latest.
    this.marks = await messages.subscribe({
      groupId: `${this.name}-marks-${randomUUID()}`,
      topics: [this.topics.bookSnapshots],
      fromBeginning: false,
      handle: async (batch) => {
        const output = emptyOutput();
        await applyOrDeadLetter(this.options, this.topics.bookSnapshots, batch, ({ value }) => mergeOutput(output, this.execution.book(value)));
        await this.publish(output);
      },
    });
  }

  /** Stops reading, then waits for the progress of what was handled to commit. */
  async stop(): Promise<void> {
    clearInterval(this.catchUpPoll);
    await this.marks?.stop();
    await this.consumer?.stop();
    await this.progress?.drain();
  }

  /** How many records of `topic` this run has applied, replayed ones included (tests wait on it). */
  appliedCount(topic: string): number {
    return this.appliedCounts.get(topic) ?? 0;
  }

  private get progressGroup(): string {
    return `${this.name}-progress`;
  }

  /**
   * Every order command and risk decision ever published, read to the end before any input: the
   * route decisions a replay must not decide again, and the legs it must not send again.
   */
  private async readBackDecisions(): Promise<void> {
    const started = Date.now();
    let read = 0;
    const reader = await this.options.messages.subscribe({
      groupId: `${this.name}-decided-${randomUUID()}`,
      topics: [this.topics.orderCommands, this.topics.riskDecisions],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === this.topics.orderCommands.name) this.execution.earlierRun.commandSent(value as OrderCommand);
          else this.execution.earlierRun.riskDecided(value as RiskDecision);
        }
        read += batch.length;
      },
    });
    try {
      for (let state = reader.catchUp(); !state.caughtUp; state = reader.catchUp()) {
        if (Date.now() - started > READ_BACK_TIMEOUT_MS) throw new Error(`reading back the order commands and risk decisions did not catch up in ${READ_BACK_TIMEOUT_MS} ms: ${state.reason}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await reader.stop();
    }
    this.options.logger.info({ records: read, ms: Date.now() - started }, `read back ${read} order commands and risk decisions published before this start`);
  }

  private async handle(batch: Array<Delivered<unknown>>): Promise<void> {
    const { topic, partition } = batch[0]!;
    const id = `${topic}\u0000${partition}`;
    // Kept until published: if applying or publishing throws, the redelivered batch skips what was
    // applied and still sends what it produced.
    const pending = this.unpublished.get(id) ?? { output: emptyOutput(), nextOffset: null };
    this.unpublished.set(id, pending);
    const replayed = (record: Delivered<unknown>) => this.boundary!.isReplay(topic, partition, record.offset);
    const unapplied = batch.filter((record) => BigInt(record.offset) >= (this.applied.get(id) ?? 0n));
    // Dead letters go out at once (MessageBus publishes them): the progress past an invalid record
    // is queued only after its letter is out, so a crash may repeat a letter (harmless) but never
    // lose one, and a replay sends none again.
    const source = this.inputs.find(({ name }) => name === topic)!;
    await applyOrDeadLetter(this.options, source, unapplied, (record) => {
      const live = !replayed(record);
      const output = this.apply(record, live);
      this.applied.set(id, BigInt(record.offset) + 1n);
      this.appliedCounts.set(topic, this.appliedCount(topic) + 1);
      if (topic === this.topics.routeDecisions.name) this.slippage?.routeDecision(record.value as RouteDecision);
      if (!live) return;
      if (topic === this.topics.fills.name) this.slippage?.fill(record.value as Fill);
      mergeOutput(pending.output, output);
    }, replayed);
    // Every record of the batch is now applied or dead-lettered.
    const last = unapplied.at(-1);
    if (last) {
      this.applied.set(id, BigInt(last.offset) + 1n);
      if (!replayed(last)) pending.nextOffset = String(BigInt(last.offset) + 1n);
    }
    await this.publish(pending.output);
    if (pending.nextOffset !== null) {
      const progress = { topic, partition, offset: pending.nextOffset };
      if (this.progressWhileCatchingUp) this.progressWhileCatchingUp.set(id, progress);
      else this.progress!.add(progress);
    }
    this.unpublished.delete(id);
    await this.afterCatchingUp();
    if (this.progress!.pending > MAX_UNCOMMITTED) await this.progress!.drain();
  }

  /** Once the replay has reached the end the inputs had at start: what waited for it (see the header). */
  private async afterCatchingUp(): Promise<void> {
    if (this.progressWhileCatchingUp === null || !this.consumer?.catchUp().caughtUp) return;
    this.catchUpOutput ??= this.execution.caughtUp();
    await this.publish(this.catchUpOutput);
    for (const progress of this.progressWhileCatchingUp.values()) this.progress!.add(progress);
    this.progressWhileCatchingUp = null;
    clearInterval(this.catchUpPoll);
    const { commands, intents } = this.catchUpOutput;
    this.options.logger.info({ commands: commands.length, reroutes: intents.length }, 'caught up with the inputs; live from here');
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    const run = this.turn.then(work);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** Folds one input into the execution state; throws InvalidInputError for one that breaks a domain rule. */
  private apply({ topic, value }: Delivered<unknown>, live: boolean): ExecutionOutput {
    const { intents, routeDecisions, orderEvents, fills } = this.topics;
    if (topic === intents.name) return this.execution.intent(value as Intent, live);
    if (topic === routeDecisions.name) return this.execution.routeDecision(value as RouteDecision, live);
    if (topic === orderEvents.name) return this.execution.orderEvent(value as OrderEvent, live);
    if (topic === fills.name) return this.execution.fill(value as Fill, live);
    return this.execution.control(value as ControlCommand);
  }

  /** One send for everything the output holds; nothing to send is nothing to wait for. */
  private async publish(output: ExecutionOutput): Promise<void> {
    const records = [
      ...(await this.encode(this.topics.orderCommands, output.commands)),
      ...(await this.encode(this.topics.riskDecisions, output.riskDecisions)),
      ...(await this.encode(this.topics.intents, output.intents)),
      ...(await this.encode(this.topics.alerts, output.alerts)),
    ];
    await this.options.messages.bus.publish(records);
  }

  private async encode<T extends TopicDefinition>(topic: T, values: unknown[]): Promise<OutgoingRecord[]> {
    const key = topic.key as (value: unknown) => string;
    return Promise.all(values.map(async (value) => ({ topic: topic.name, key: key(value), value: await this.options.codec.encode(topic, value) })));
  }
}
