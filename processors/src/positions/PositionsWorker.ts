import { randomUUID } from 'node:crypto';
import { TOPICS, type BalanceSnapshot, type Fill } from '@crossvenue/schemas';
import { type Consumer, type Delivered, type Logger, type MessageBus } from '@crossvenue/runtime';
import { applyOrDeadLetter } from '../worker/applyOrDeadLetter.ts';
import { BalanceLedger } from './BalanceLedger.ts';
import { positionFillOf } from './PositionFill.ts';
import { PositionLedger } from './PositionLedger.ts';
import { toPositionMessage } from './toPositionMessage.ts';

export interface PositionsWorkerOptions {
  messages: MessageBus;
  logger: Logger;
  /** Prefix of the per-start consumer group id. */
  groupPrefix?: string;
  /** The catalogue topics unless given (benchmarks use their own). */
  topics?: PositionsTopics;
}

export interface PositionsTopics {
  fills: typeof TOPICS.fills;
  balanceSnapshots: typeof TOPICS.balanceSnapshots;
  positions: typeof TOPICS.positions;
  balances: typeof TOPICS.balances;
}

/**
 * Folds `exec.fills` into `state.positions` and `exec.balance-snapshots` into `state.balances`
 * (both compacted: latest value per key).
 *
 * Exactly once across restarts, by idempotent application and durable de-duplication rather than
 * Kafka transactions. Why: a position is a fold of the *set* of its fills in canonical order (see
 * PositionLedger), and a fill that arrives late with an earlier venue time changes the result, so a
 * restarted worker needs every fill of a position, not a saved running total; committed offsets
 * alone cannot give it that. The fills topic is kept forever, so the log itself is the durable
 * state: every start joins a fresh consumer group, reads both topics from the beginning, and
 * de-duplicates by fill identity (venue, account, venueTradeId). A worker killed at any point
 * (even with SIGKILL, between publishing and committing) loses nothing and double-counts nothing;
 * on restart it republishes each position with the same content and event id.
 *
 * What this costs: start-up time grows with the fills log (the benchmark prints the fold rate),
 * one instance folds every partition, and while a restarted worker catches up it republishes
 * intermediate states of a position before its latest (the compacted topic converges on the latest).
 */
export class PositionsWorker {
  private readonly positions = new PositionLedger();
  private readonly balances = new BalanceLedger();
  private consumer: Consumer | undefined;
  private folded = 0;
  private readonly topics: PositionsTopics;

  constructor(private readonly options: PositionsWorkerOptions) {
    this.topics = options.topics ?? TOPICS;
  }

  async start(): Promise<void> {
    this.consumer = await this.options.messages.subscribe({
      groupId: `${this.options.groupPrefix ?? 'positions'}-${randomUUID()}`,
      topics: [this.topics.fills, this.topics.balanceSnapshots],
      fromBeginning: true,
      handle: (batch) => this.handle(batch),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  /** Distinct fills folded since start. */
  get fillCount(): number {
    return this.positions.fillCount;
  }

  private async handle(batch: Array<Delivered<Fill | BalanceSnapshot>>): Promise<void> {
    if (batch[0]?.topic === this.topics.fills.name) await this.foldFills(batch as Array<Delivered<Fill>>);
    else await this.mergeBalances(batch as Array<Delivered<BalanceSnapshot>>);
  }

  private async foldFills(batch: Array<Delivered<Fill>>): Promise<void> {
    // Every key the batch touched, duplicates included: if publishing failed last time, the
    // redelivered batch is all duplicates and must still publish.
    const touched = new Set<string>();
    await applyOrDeadLetter(this.options, this.topics.fills, batch, ({ value, partition, offset }) => {
      const added = this.positions.add(positionFillOf(value));
      touched.add(added.key);
      if (added.outcome === 'conflict') {
        this.options.logger.error({ partition, offset, venueTradeId: value.venueTradeId }, `fill ${value.venue}/${value.account}/${value.venueTradeId} seen before with other content; the first is kept`);
      }
    });
    const positions = [...touched].map((key) => toPositionMessage(this.positions.position(key)!));
    await this.options.messages.publish(this.topics.positions, positions);
    this.folded += batch.length;
    this.options.logger.debug({ records: batch.length, folded: this.folded, distinct: this.positions.fillCount }, 'fills folded');
  }

  private async mergeBalances(batch: Array<Delivered<BalanceSnapshot>>): Promise<void> {
    // As for fills: every account the batch touched, so a redelivered batch publishes again.
    const touched = new Set<string>();
    await applyOrDeadLetter(this.options, this.topics.balanceSnapshots, batch, ({ value }) => void touched.add(this.balances.apply(value)));
    await this.options.messages.publish(this.topics.balances, [...touched].map((key) => this.balances.balances(key)!));
  }
}
