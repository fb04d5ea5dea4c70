import { randomUUID } from 'node:crypto';
import type { ControlCommand, Fill, IntentStatus, OrderCommand, OrderEvent, PartitionOffset, RiskDecision, RouteDecision, WorkerSnapshot } from '@crossvenue/schemas';
import { type Delivered, ProgressCommits, type RangeStart } from '@crossvenue/runtime';
import { RiskEngine } from '../risk/RiskEngine.ts';
import { applyOrDeadLetter } from '../worker/applyOrDeadLetter.ts';
import type { ExecutionTopics, ExecutionWorkerOptions } from './ExecutionWorkerOptions.ts';
import { emptyOutput, mergeOutput, PortfolioExecution, type ExecutionOutput } from './PortfolioExecution.ts';
import { ReplayBoundary } from './ReplayBoundary.ts';

/** Outputs of applied records not published yet, and the input offset they reach. */
interface Unpublished {
  output: ExecutionOutput;
  nextOffset: string | null;
}

type Progress = { topic: string; partition: number; offset: string };

/**
 * The least time between progress commits: each is a transaction the broker works at, and a crash
 * only re-reads live what the last one did not cover (adopting what was sent).
 */
const PROGRESS_COMMIT_INTERVAL_MS = 100;

/**
 * The execution state of one partition of the portfolio-keyed topics (the portfolios whose route
 * decisions, order events and fills fall there), rebuilt by the instance the partition is
 * assigned to and dropped when it moves on. It has its own risk engine (limits are per account
 * and per portfolio, and a portfolio lives in one partition), its own replay boundary and its own
 * progress group and transactional id (`<name>-p<partition>`): the instance the partition moved
 * to fences the commits of the one it left. Control commands (one partition, read by every
 * instance) count in its progress too, so it knows which of them it already acted on.
 */
export class PartitionExecution {
  readonly execution: PortfolioExecution;
  private readonly progress: ProgressCommits;
  /** Per input partition, the next offset to apply: a batch delivered again after a failed publish is not applied twice. */
  private readonly applied = new Map<string, bigint>();
  private readonly unpublished = new Map<string, Unpublished>();
  /** Progress of the batches applied while catching up, queued only once caughtUp()'s output is published. */
  private progressWhileCatchingUp: Map<string, Progress> | null = new Map();
  /** caughtUp()'s output until it is published (it is asked for once: it moves the state on). */
  private catchUpOutput: ExecutionOutput | undefined;
  /** Where the snapshot this state was restored from stood in the outputs read back; none: the beginning. */
  private outputsFolded: readonly PartitionOffset[] = [];
  /** Records applied since the last snapshot (or the start): none, no snapshot is worth taking. */
  private foldedSinceSnapshot = 0;

  private constructor(
    readonly partition: number,
    private readonly options: ExecutionWorkerOptions & { topics: ExecutionTopics; name: string },
    private readonly boundary: ReplayBoundary,
    private readonly publishOutput: (output: ExecutionOutput) => Promise<void>,
  ) {
    const clock = options.clock ?? Date.now;
    const logger = options.logger.child({ partition });
    this.execution = new PortfolioExecution({ risk: new RiskEngine(options.limits, clock), logger, clock, newId: randomUUID, replaying: true });
    this.progress = new ProgressCommits(options.messages.bus, `${options.name}-p${partition}`, progressGroup(options.name, partition), logger, PROGRESS_COMMIT_INTERVAL_MS);
  }

  /**
   * Reads where the partition's last owner got to (its progress group), before any input, and
   * takes the state of the partition's latest snapshot if there is one: then only what came after
   * it is read (inputStarts, readBackStarts).
   */
  static async open(
    partition: number,
    options: ExecutionWorkerOptions & { topics: ExecutionTopics; name: string },
    publish: (output: ExecutionOutput) => Promise<void>,
    snapshot: WorkerSnapshot | undefined,
  ): Promise<PartitionExecution> {
    const { routeDecisions, orderEvents, fills, controlCommands } = options.topics;
    const topics = [routeDecisions, orderEvents, fills, controlCommands].map((topic) => topic.name);
    const boundary = await ReplayBoundary.load(options.messages.bus, progressGroup(options.name, partition), topics);
    const opened = new PartitionExecution(partition, options, boundary, publish);
    if (!snapshot) return opened;
    try {
      opened.resumeFrom(snapshot);
      return opened;
    } catch (error) {
      // A snapshot another version of this code wrote, or a damaged one: the history is still there.
      options.logger.warn({ partition, err: error instanceof Error ? error.message : String(error) }, `partition ${partition}: its snapshot ${snapshot.eventId} cannot be restored; folding the partition from its beginning`);
      return new PartitionExecution(partition, options, boundary, publish);
    }
  }

  /** Where to read each keyed input of this partition from: after what the state has folded. */
  inputStarts(): RangeStart[] {
    const { routeDecisions, orderEvents, fills } = this.options.topics;
    return [routeDecisions, orderEvents, fills].map(({ name }) => ({ topic: name, partition: this.partition, offset: this.applied.get(`${name}\u0000${this.partition}`) ?? 0n }));
  }

  /** Where to read back the partition's order commands, risk decisions and intent statuses from: after what the state holds. */
  readBackStarts(): RangeStart[] {
    const { orderCommands, riskDecisions, intentStatus } = this.options.topics;
    return [orderCommands, riskDecisions, intentStatus].map(({ name }) => {
      const folded = this.outputsFolded.find(({ topic, partition }) => topic === name && partition === this.partition);
      return { topic: name, partition: this.partition, offset: BigInt(folded?.offset ?? '0') };
    });
  }

  /**
   * The partition's state now, with where it stands in its inputs and in the outputs it reads back
   * at recovery (`outputEnds`: the ends of the order commands, risk decisions and intent statuses,
   * read after everything folded was published, so what comes after them was decided after this
   * state): only when caught up, with every output published, and when something was folded since
   * the last one.
   */
  snapshot(outputEnds: readonly PartitionOffset[]): WorkerSnapshot | null {
    if (this.progressWhileCatchingUp !== null || this.unpublished.size > 0 || this.foldedSinceSnapshot === 0) return null;
    const outputs = outputEnds.filter(({ partition }) => partition === this.partition);
    const takenAtMs = Date.now();
    const inputs = [...this.applied].map(([id, offset]) => {
      const [topic, partition] = id.split('\u0000') as [string, string];
      return { topic, partition: Number(partition), offset: String(offset) };
    });
    const state = this.execution.snapshot();
    this.foldedSinceSnapshot = 0;
    return { eventId: `snapshot:${this.options.name}:p${this.partition}:${takenAtMs}`, worker: this.options.name, partition: this.partition, inputs, outputs, state, takenAtMs };
  }

  /**
   * An order command or risk decision of this partition published before (a decision already
   * decided), or an intent status (the last of each intent is what a change is measured against).
   */
  readBack(topic: string, value: unknown): void {
    if (topic === this.options.topics.orderCommands.name) this.execution.earlierRun.commandSent(value as OrderCommand);
    else if (topic === this.options.topics.intentStatus.name) this.execution.statusLog.published(value as IntentStatus);
    else this.execution.earlierRun.riskDecided(value as RiskDecision);
  }

  /** Once everything published since the state's snapshot is read back (PortfolioExecution.adoptSentForFolded). */
  async readBackDone(): Promise<void> {
    await this.publishOutput(this.execution.adoptSentForFolded());
  }

  /**
   * Applies the records of one batch of an input partition (this partition's route decisions,
   * order events or fills, or the control commands): below the boundary they only rebuild state;
   * from it on they are live and what they decide is published before their progress is queued.
   * Returns how many it applied: none of those the state had folded already (a snapshot's).
   */
  async handle(batch: Array<Delivered<unknown>>): Promise<number> {
    const { topic, partition } = batch[0]!;
    const id = `${topic}\u0000${partition}`;
    // Kept until published: if applying or publishing throws, the redelivered batch skips what was
    // applied and still sends what it produced.
    const pending = this.unpublished.get(id) ?? { output: emptyOutput(), nextOffset: null };
    this.unpublished.set(id, pending);
    const replayed = (record: Delivered<unknown>) => this.boundary.isReplay(topic, partition, record.offset);
    const unapplied = batch.filter((record) => BigInt(record.offset) >= (this.applied.get(id) ?? 0n));
    // Dead letters go out at once (MessageBus publishes them): the progress past an invalid record
    // is queued only after its letter is out, so a crash may repeat a letter (harmless) but never
    // lose one, and a replay sends none again. An invalid control command, which every partition
    // reads, is dead-lettered by partition 0's owner alone.
    const source = this.inputOf(topic);
    const someoneElses = topic === this.options.topics.controlCommands.name && this.partition !== 0;
    const letteredBefore = (record: Delivered<unknown>) => someoneElses || replayed(record);
    await applyOrDeadLetter(
      this.options,
      source,
      unapplied,
      (record) => {
        const live = !replayed(record);
        const output = this.apply(record, live);
        this.applied.set(id, BigInt(record.offset) + 1n);
        this.foldedSinceSnapshot += 1;
        if (live) mergeOutput(pending.output, output);
      },
      letteredBefore,
    );
    // A refused intent's REJECTED status: its record was dead-lettered, so its output went with the error.
    pending.output.statuses.push(...this.execution.takePendingStatuses());
    const last = unapplied.at(-1);
    if (last) {
      this.applied.set(id, BigInt(last.offset) + 1n);
      if (!replayed(last)) pending.nextOffset = String(BigInt(last.offset) + 1n);
    }
    await this.publishOutput(pending.output);
    // Its statuses are out: intents that ended with them can be let go of.
    this.execution.retireEnded();
    if (pending.nextOffset !== null) {
      const progress = { topic, partition, offset: pending.nextOffset };
      if (this.progressWhileCatchingUp) this.progressWhileCatchingUp.set(id, progress);
      else this.progress.add(progress);
    }
    this.unpublished.delete(id);
    return unapplied.length;
  }

  /** Once every input of the assignment is read to the end it had: places what waited for it. */
  async caughtUp(): Promise<void> {
    if (this.progressWhileCatchingUp === null) return;
    this.catchUpOutput ??= this.execution.caughtUp();
    await this.publishOutput(this.catchUpOutput);
    this.execution.retireEnded();
    for (const progress of this.progressWhileCatchingUp.values()) this.progress.add(progress);
    this.progressWhileCatchingUp = null;
    const { commands, intents } = this.catchUpOutput;
    this.options.logger.info({ partition: this.partition, commands: commands.length, reroutes: intents.length }, `partition ${this.partition} caught up; live from here`);
  }

  get uncommitted(): number {
    return this.progress.pending;
  }

  /** Waits for the progress of what was handled to commit. */
  drain(): Promise<void> {
    return this.progress.drain();
  }

  private resumeFrom(snapshot: WorkerSnapshot): void {
    this.execution.restore(Buffer.from(snapshot.state));
    for (const { topic, partition, offset } of snapshot.inputs) this.applied.set(`${topic}\u0000${partition}`, BigInt(offset));
    this.outputsFolded = snapshot.outputs;
  }

  private inputOf(topic: string) {
    const { routeDecisions, orderEvents, fills, controlCommands } = this.options.topics;
    return [routeDecisions, orderEvents, fills, controlCommands].find(({ name }) => name === topic)!;
  }

  /** Folds one input into the execution state; throws InvalidInputError for one that breaks a domain rule. */
  private apply({ topic, value }: Delivered<unknown>, live: boolean): ExecutionOutput {
    const { routeDecisions, orderEvents, fills } = this.options.topics;
    if (topic === routeDecisions.name) return this.execution.routeDecision(value as RouteDecision, live);
    if (topic === orderEvents.name) return this.execution.orderEvent(value as OrderEvent, live);
    if (topic === fills.name) return this.execution.fill(value as Fill, live);
    const output = this.execution.control(value as ControlCommand);
    // Every partition acts on every control command; the alert that says so is one, partition 0's.
    if (this.partition !== 0) output.alerts = [];
    return output;
  }
}

function progressGroup(name: string, partition: number): string {
  return `${name}-progress-p${partition}`;
}
