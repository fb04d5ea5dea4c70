import { randomUUID } from 'node:crypto';
import { midPrice, TOPICS, type Fill, type RouteDecision, type TopicDefinition, type WorkerSnapshot } from '@crossvenue/schemas';
import { type Consumer, type Delivered, type OutgoingRecord, readRanges, type RangeStart } from '@crossvenue/runtime';
import { applyOrDeadLetter } from '../worker/applyOrDeadLetter.ts';
import { emptyOutput, mergeOutput, type ExecutionOutput } from './PortfolioExecution.ts';
import { FillSlippage } from './FillSlippage.ts';
import { PartitionExecution } from './PartitionExecution.ts';
import type { ExecutionTopics, ExecutionWorkerOptions } from './ExecutionWorkerOptions.ts';

/** Progress entries (of any partition) beyond which reading waits for their commits (the broker is slow or away). */
const MAX_UNCOMMITTED = 1_000;
/** How often a worker still catching up asks whether it has. */
const CATCH_UP_POLL_MS = 50;
/** How often the DAY and GTD intents are looked through for those whose time is up. */
const EXPIRY_CHECK_MS = 1_000;
/** How long the worker waits to read its snapshots and its own decisions back before it gives up. */
const READ_BACK_TIMEOUT_MS = 60_000;
/**
 * How often each partition that folded something since is snapshotted: recovery reads at most
 * this much input after its snapshot, plus what came in since the crash. Ended intents are
 * retired (PortfolioExecution.retireEnded) and risk keeps a bounded window of fills, so a capture
 * costs with the intents in flight and the ids kept: about 0.2 s and 3.7 MB after 100,000 intents
 * and 1,000,000 fills (execution.recovery.bench.ts logs it at info).
 */
const SNAPSHOT_INTERVAL_MS = 10_000;
/** The least time between two snapshots, in multiples of the time the last one took. */
const SNAPSHOT_SPACING = 20;

/**
 * Risk and execution state on the bus: reads route decisions (each carries the intent message it
 * answers), order events and fills, all keyed by portfolio, and control commands; book snapshots
 * for marks. Publishes risk-checked order commands, every risk decision, each change of an intent's
 * status (exec.intent-status), the intents it asks the router to route (re-routes, flatten orders;
 * PortfolioExecution says when; the EXPIRE of a DAY or GTD intent whose time is up, checked every
 * EXPIRY_CHECK_MS), and an alert for each kill switch engaged or released and each drawdown stop a
 * market move reaches or clears.
 *
 * Partitioned: instances of one name form a consumer group over the portfolio-keyed topics, which
 * assigns each partition number, in every topic, to one member (co-partitioned). Each partition's
 * state is a PartitionExecution (its own risk engine, replay boundary and progress). The group
 * never commits: on every assignment, at start or after a rebalance, the worker drops its state,
 * reads back the order commands, risk decisions and intent statuses of the partitions it got, and
 * reads those partitions again from the beginning. So a partition's state moves with it, and the
 * instance it left (killed, or still running) is fenced from committing its progress. Control
 * commands are read whole by every instance (a consumer of its own) and applied to each of its
 * partitions.
 *
 * Exactly once without a transaction on the hot path (the argument, crash point by crash point, is
 * in CRASH_POINTS.md beside this file):
 * - Outputs are published as soon as a batch is applied, by the idempotent producer (a retried
 *   send is written once). Only then is the batch's next offset queued for the partition's progress
 *   group, committed in the background in offsets-only transactions (ProgressCommits). So the
 *   progress never runs ahead of what was published.
 * - State is the fold of the inputs from the beginning. Records below the progress offsets
 *   (ReplayBoundary) were handled and their outputs published, so they only rebuild state; the
 *   ones above are read live.
 * - Before reading its inputs, the worker reads back the order commands and risk decisions of its
 *   partitions to the end. A route decision already decided (a PLACE sent for it,
 *   OrderCommand.routeDecisionId, or refused by risk) adopts the legs it sent instead of deciding
 *   again. So a crash after publishing and before the progress commit resends no PLACE. It reads
 *   back its intent statuses too: a status is published only when it differs from the last one
 *   on the topic, numbered on from it, so none goes out twice and none is skipped.
 * - Until the replay has caught up with the end its inputs had when assigned, nothing is placed
 *   and no re-route is asked for. Then PortfolioExecution.caughtUp places the decisions read live,
 *   asks the re-routes that events read live need, and cancels live legs the desired state no
 *   longer wants; the progress of the batches read meanwhile is queued only once that is published.
 * - A partition's route decisions are in the order the router read the intents, so a decision
 *   always meets the state its intent message expects. Order events and fills are other topics:
 *   one can be read before the decision that placed its order; PortfolioExecution holds it until
 *   the leg exists (HeldForLeg).
 */
export class ExecutionWorker {
  private readonly topics: ExecutionTopics;
  private readonly name: string;
  /** The state of each partition this instance holds, by partition number. */
  private partitions = new Map<number, PartitionExecution>();
  /** Every control command read so far (the topic is small): a partition assigned later reads them first. */
  private readonly controlRead: Array<Delivered<unknown>> = [];
  private consumer: Consumer | undefined;
  private control: Consumer | undefined;
  private marks: Consumer | undefined;
  private readonly appliedCounts = new Map<string, number>();
  private readonly slippage: FillSlippage | undefined;
  /** Asks whether the replay has caught up while no input arrives. */
  private catchUpPoll: NodeJS.Timeout | undefined;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  private nextSnapshotAt = 0;
  /** Whether the partitions of the current assignment have caught up. */
  private live = false;
  /** One batch, assignment or catch-up check at a time: each publishes what the state decided, in order. */
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly options: ExecutionWorkerOptions) {
    this.slippage = options.metrics && new FillSlippage(options.metrics);
    this.topics = options.topics ?? TOPICS;
    this.name = options.name ?? 'execution';
  }

  async start(): Promise<void> {
    const { messages, codec } = this.options;
    await codec.register([this.topics.orderCommands, this.topics.riskDecisions, this.topics.intentStatus, this.topics.intents, this.topics.alerts, this.topics.workerSnapshots]);
    this.control = await messages.subscribe({
      groupId: `${this.name}-control-${randomUUID()}`,
      topics: [this.topics.controlCommands],
      fromBeginning: true,
      handle: (batch) =>
        this.inTurn(async () => {
          this.controlRead.push(...batch);
          for (const partition of this.partitions.values()) await partition.handle(batch);
          this.count(batch[0]!.topic, batch.length);
        }),
    });
    // An assignment can come before subscribe returns; it moves the consumer, so it waits for it.
    let subscribed!: (consumer: Consumer) => void;
    const consumer = new Promise<Consumer>((resolve) => (subscribed = resolve));
    this.consumer = await messages.subscribe({
      groupId: this.name,
      topics: [this.topics.routeDecisions, this.topics.orderEvents, this.topics.fills],
      fromBeginning: true,
      commit: false,
      onAssigned: (assigned) => {
        this.inTurn(async () => this.assign(assigned, await consumer)).catch((error: unknown) => this.options.logger.error({ err: error }, 'taking on the assigned partitions failed'));
      },
      handle: (batch) => this.inTurn(() => this.handle(batch)),
    });
    subscribed(this.consumer);
    this.catchUpPoll = setInterval(() => {
      this.inTurn(() => this.afterCatchingUp()).catch((error: unknown) => this.options.logger.warn({ err: error }, 'publishing what catching up decided failed; trying again'));
    }, CATCH_UP_POLL_MS);
    this.expiryTimer = setInterval(() => {
      this.inTurn(() => this.expire()).catch((error: unknown) => this.options.logger.warn({ err: error }, 'asking for the expiry of DAY and GTD intents failed; the next check asks again'));
    }, EXPIRY_CHECK_MS);
    if (this.options.snapshots !== false) {
      this.snapshotTimer = setInterval(() => {
        this.inTurn(() => this.takeSnapshots()).catch((error: unknown) => this.options.logger.warn({ err: error }, 'taking a snapshot failed; the next interval tries again'));
      }, this.options.snapshotIntervalMs ?? SNAPSHOT_INTERVAL_MS);
    }
    // Marks from the books as they move, outside the fold: exposure and drawdown are valued at the
    // market now, not at the mid of the last intent routed. Only new books: a mark is the latest.
    this.marks = await messages.subscribe({
      groupId: `${this.name}-marks-${randomUUID()}`,
      topics: [this.topics.bookSnapshots],
      fromBeginning: false,
      handle: async (batch) => {
        const output = emptyOutput();
        await applyOrDeadLetter(this.options, this.topics.bookSnapshots, batch, ({ value }) => {
          // One mid per book, for every partition this instance holds (six in a backtest).
          const mid = midPrice(value);
          if (mid !== null) for (const partition of this.partitions.values()) mergeOutput(output, partition.execution.mark(value.instrument, mid));
        });
        await this.publish(output);
      },
    });
  }

  /** Stops reading, then waits for the progress of what was handled to commit. */
  async stop(): Promise<void> {
    clearInterval(this.catchUpPoll);
    clearInterval(this.snapshotTimer);
    clearInterval(this.expiryTimer);
    await this.marks?.stop();
    await this.control?.stop();
    await this.consumer?.stop();
    await Promise.all([...this.partitions.values()].map((partition) => partition.drain()));
  }

  /** How many records of `topic` this run has applied, replayed ones included, not those a snapshot held (tests wait on it). */
  appliedCount(topic: string): number {
    return this.appliedCounts.get(topic) ?? 0;
  }

  /** The partition numbers this instance holds now. */
  heldPartitions(): number[] {
    return [...this.partitions.keys()].sort((a, b) => a - b);
  }

  /**
   * A new assignment: the group never commits, so every partition is read again, and its state
   * rebuilt: from its latest snapshot if it has one, else from the beginning; then what it
   * published since (read back), the control commands, and its inputs from where the state stands
   * (the consumer is moved there; records before it are skipped if fetched already).
   */
  private async assign(assigned: Array<{ topic: string; partition: number }>, consumer: Consumer): Promise<void> {
    const started = Date.now();
    await Promise.all([...this.partitions.values()].map((partition) => partition.drain()));
    this.live = false;
    const numbers = [...new Set(assigned.filter(({ topic }) => topic === this.topics.routeDecisions.name).map(({ partition }) => partition))].sort((a, b) => a - b);
    const options = { ...this.options, topics: this.topics, name: this.name };
    const snapshots = this.options.snapshots === false ? new Map<number, WorkerSnapshot>() : await this.latestSnapshots(numbers);
    const partitions = new Map<number, PartitionExecution>();
    for (const number of numbers) partitions.set(number, await PartitionExecution.open(number, options, (output) => this.publish(output), snapshots.get(number)));
    const readBack = await readRanges(
      this.options.messages,
      [this.topics.orderCommands, this.topics.riskDecisions, this.topics.intentStatus],
      [...partitions.values()].flatMap((partition) => partition.readBackStarts()),
      ({ topic, partition, value }) => partitions.get(partition)?.readBack(topic, value),
      { what: 'the order commands, risk decisions and intent statuses published before', timeoutMs: READ_BACK_TIMEOUT_MS },
    );
    for (const partition of partitions.values()) await partition.readBackDone();
    if (this.controlRead.length > 0) for (const partition of partitions.values()) await partition.handle(this.controlRead);
    // Only past a snapshot's offsets: a partition read from its beginning already is (the group
    // never commits), and a seek under a fetch in flight makes the consumer fetch it again.
    for (const { topic, partition, offset } of [...partitions.values()].flatMap((held) => held.inputStarts())) {
      if (offset > 0n) consumer.seek(topic, partition, String(offset));
    }
    this.partitions = partitions;
    const restored = numbers.filter((number) => snapshots.has(number));
    this.options.logger.info(
      { partitions: numbers, fromSnapshots: restored, readBack, ms: Date.now() - started },
      `holding partitions [${numbers.join(', ')}]: ${restored.length} from snapshots, ${readBack} order commands, risk decisions and intent statuses read back; reading their inputs`,
    );
  }

  /**
   * The latest snapshot of each partition: the last record of the partition with its number in the
   * snapshot topic (snapshots are written there), unless another worker wrote last; then the
   * partition is read whole for this worker's latest.
   */
  private async latestSnapshots(numbers: readonly number[]): Promise<Map<number, WorkerSnapshot>> {
    const topic = this.topics.workerSnapshots;
    const ends = new Map((await this.options.messages.bus.endOffsets(topic.name)).map(({ partition, offset }) => [partition, BigInt(offset)]));
    const latest = new Map<number, WorkerSnapshot>();
    const read = (starts: RangeStart[]) =>
      readRanges(
        this.options.messages,
        [topic],
        starts,
        ({ value }) => {
          if (value.worker === this.name && numbers.includes(value.partition)) latest.set(value.partition, value);
        },
        { what: `the snapshots in ${topic.name}`, timeoutMs: READ_BACK_TIMEOUT_MS },
      );
    const last = (number: number) => ({ topic: topic.name, partition: number, offset: (ends.get(number) ?? 0n) - 1n });
    await read(numbers.map(last).filter(({ offset }) => offset >= 0n));
    await read(numbers.filter((number) => !latest.has(number) && (ends.get(number) ?? 0n) > 1n).map((number) => ({ topic: topic.name, partition: number, offset: 0n })));
    return latest;
  }

  /**
   * Snapshots of the partitions that folded something since their last, each written to the
   * partition with its number. Capturing holds the event loop (the state is walked whole), so the
   * next one waits at least SNAPSHOT_SPACING times as long as this one took: a large state is
   * snapshotted less often rather than stalling the path every interval.
   */
  private async takeSnapshots(): Promise<void> {
    if (Date.now() < this.nextSnapshotAt) return;
    const started = Date.now();
    const records: OutgoingRecord[] = [];
    // Read once for every partition, after all they folded was published (this runs in turn).
    const outputEnds = [];
    for (const { name } of [this.topics.orderCommands, this.topics.riskDecisions, this.topics.intentStatus]) outputEnds.push(...(await this.options.messages.bus.endOffsets(name)));
    for (const partition of this.partitions.values()) {
      const snapshot = partition.snapshot(outputEnds);
      if (snapshot) records.push({ ...(await this.encode(this.topics.workerSnapshots, [snapshot]))[0]!, partition: snapshot.partition });
    }
    await this.options.messages.bus.publish(records);
    this.nextSnapshotAt = Date.now() + SNAPSHOT_SPACING * (Date.now() - started);
    if (records.length > 0) {
      const bytes = records.reduce((sum, { value }) => sum + (value?.length ?? 0), 0);
      this.options.logger.info({ partitions: records.map(({ partition }) => partition), bytes, ms: Date.now() - started }, `snapshot of ${records.length} partitions taken: ${bytes} bytes in ${Date.now() - started} ms`);
    }
  }

  /** EXPIRE messages for the DAY and GTD intents whose time is up, once live (PortfolioExecution.expire). */
  private async expire(): Promise<void> {
    if (!this.live) return;
    const output = emptyOutput();
    for (const partition of this.partitions.values()) mergeOutput(output, partition.execution.expire());
    await this.publish(output);
  }

  private async handle(batch: Array<Delivered<unknown>>): Promise<void> {
    const partition = this.partitions.get(batch[0]!.partition);
    // A batch of a partition this instance no longer holds (a rebalance is under way): its new owner reads it.
    if (!partition) return;
    this.count(batch[0]!.topic, await partition.handle(batch));
    if (batch[0]!.topic === this.topics.routeDecisions.name) for (const { value } of batch) this.slippage?.routeDecision(value as RouteDecision);
    if (this.live && batch[0]!.topic === this.topics.fills.name) for (const { value } of batch) this.slippage?.fill(value as Fill);
    await this.afterCatchingUp();
    for (const held of this.partitions.values()) if (held.uncommitted > MAX_UNCOMMITTED) await held.drain();
  }

  private count(topic: string, applied: number): void {
    this.appliedCounts.set(topic, this.appliedCount(topic) + applied);
  }

  /** Once the replay has reached the end the inputs had when assigned: what waited for it (see the header). */
  private async afterCatchingUp(): Promise<void> {
    if (this.live || !this.consumer?.catchUp().caughtUp || !this.control?.catchUp().caughtUp) return;
    for (const partition of this.partitions.values()) await partition.caughtUp();
    this.live = true;
  }

  private inTurn(work: () => Promise<void>): Promise<void> {
    const run = this.turn.then(work);
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** One send for everything the output holds; nothing to send is nothing to wait for. */
  private async publish(output: ExecutionOutput): Promise<void> {
    const records = [
      ...(await this.encode(this.topics.orderCommands, output.commands)),
      ...(await this.encode(this.topics.riskDecisions, output.riskDecisions)),
      ...(await this.encode(this.topics.intentStatus, output.statuses)),
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
