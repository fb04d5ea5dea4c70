import { TOPICS, type BalanceSnapshot, type Fill, type FundingPayment, type MessageOf, type VenueSnapshot } from '@crossvenue/schemas';
import { type Consumer, type Delivered, type Logger, type MessageBus } from '@crossvenue/runtime';
import { applyOrDeadLetter } from '../worker/applyOrDeadLetter.ts';
import { BalanceLedger } from './BalanceLedger.ts';
import { positionFillOf, positionKey } from './PositionFill.ts';
import { positionFundingOf } from './PositionFunding.ts';
import { PositionLedger } from './PositionLedger.ts';
import { toPositionMessage } from './toPositionMessage.ts';
import { VenueFiguresBook } from './VenueFigures.ts';

export interface PositionsWorkerOptions {
  messages: MessageBus;
  logger: Logger;
  /** The consumer group its instances share the partitions in ('positions' unless given). */
  groupId?: string;
  /** The catalogue topics unless given (benchmarks use their own). */
  topics?: PositionsTopics;
}

export interface PositionsTopics {
  fills: typeof TOPICS.fills;
  fundingPayments: typeof TOPICS.fundingPayments;
  balanceSnapshots: typeof TOPICS.balanceSnapshots;
  venueSnapshots: typeof TOPICS.venueSnapshots;
  positions: typeof TOPICS.positions;
  balances: typeof TOPICS.balances;
}

/**
 * Folds `exec.fills` and `exec.funding-payments` into `state.positions` and
 * `exec.balance-snapshots` into `state.balances` (both compacted: latest value per key), and shows
 * on each derivatives position the venue's own mark, leverage, margin and liquidation price from
 * its account's latest `recon.venue-snapshots` record (VenueFiguresBook): the venue decides those;
 * they never touch the quantities and PnL the fills make.
 *
 * Exactly once across restarts, by idempotent application and durable de-duplication rather than
 * Kafka transactions. Why: a position is a fold of the *set* of its fills in canonical order (see
 * PositionLedger), and a fill that arrives late with an earlier venue time changes the result, so a
 * worker needs every fill of a position, not a saved running total; committed offsets alone cannot
 * give it that. The fills topic is kept forever, so the log itself is the durable state.
 *
 * Instances share the partitions: they join one consumer group that never commits, so every
 * partition assigned to an instance, at start or moved to it when another instance stops or dies,
 * is read from the beginning, and its positions move with it. Fills and balance snapshots are keyed
 * by portfolio (venue snapshots too), so one portfolio's positions are all on one partition, folded by one instance. Fills
 * are de-duplicated by identity (venue, account, venueTradeId), funding payments by theirs (venue,
 * account, fundingId; kept forever too, and a sum, so their order does not matter): an instance killed at any point
 * (even with SIGKILL, between publishing and reading on) loses nothing and double-counts nothing;
 * whoever takes its partitions republishes each position with the same content and event id.
 * Venue snapshots (kept 7 days) are read from the beginning too; the latest by receive time wins,
 * so a replay ends on the same figures.
 *
 * What this costs: taking over a partition re-reads its whole history (the benchmark prints the
 * fold rate), and meanwhile the instance republishes intermediate states of a position before its
 * latest (the compacted topic converges on the latest). An instance keeps the positions of a
 * partition that moved away, unpublished, until it restarts.
 */
export class PositionsWorker {
  private readonly positions = new PositionLedger();
  private readonly balances = new BalanceLedger();
  private readonly venueFigures = new VenueFiguresBook();
  private consumer: Consumer | undefined;
  private folded = 0;
  private readonly topics: PositionsTopics;

  constructor(private readonly options: PositionsWorkerOptions) {
    this.topics = options.topics ?? TOPICS;
  }

  async start(): Promise<void> {
    this.consumer = await this.options.messages.subscribe({
      groupId: this.options.groupId ?? 'positions',
      topics: [this.topics.fills, this.topics.fundingPayments, this.topics.balanceSnapshots, this.topics.venueSnapshots],
      fromBeginning: true,
      commit: false,
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

  private async handle(batch: Array<Delivered<Fill | FundingPayment | BalanceSnapshot | VenueSnapshot>>): Promise<void> {
    const topic = batch[0]?.topic;
    if (topic === this.topics.fills.name) {
      await this.fold(this.topics.fills, batch as Array<Delivered<Fill>>, (fill) => this.positions.add(positionFillOf(fill)), (fill) => `fill ${fill.venue}/${fill.account}/${fill.venueTradeId}`);
      this.folded += batch.length;
      this.options.logger.debug({ records: batch.length, folded: this.folded, distinct: this.positions.fillCount }, 'fills folded');
    } else if (topic === this.topics.fundingPayments.name) {
      await this.fold(this.topics.fundingPayments, batch as Array<Delivered<FundingPayment>>, (payment) => this.positions.addFunding(positionFundingOf(payment)), (payment) => `funding payment ${payment.venue}/${payment.account}/${payment.fundingId}`);
    } else if (topic === this.topics.venueSnapshots.name) await this.annotate(batch as Array<Delivered<VenueSnapshot>>);
    else await this.mergeBalances(batch as Array<Delivered<BalanceSnapshot>>);
  }

  /**
   * Adds a batch of fills or funding payments to the ledger and publishes every position it
   * touched, duplicates included: if publishing failed last time, the redelivered batch is all
   * duplicates and must still publish.
   */
  private async fold<D extends PositionsTopics['fills'] | PositionsTopics['fundingPayments']>(
    topic: D,
    batch: Array<Delivered<MessageOf<D>>>,
    add: (value: MessageOf<D>) => { outcome: 'applied' | 'duplicate' | 'conflict'; key: string },
    name: (value: MessageOf<D>) => string,
  ): Promise<void> {
    const touched = new Set<string>();
    await applyOrDeadLetter(this.options, topic, batch, ({ value, partition, offset }) => {
      const added = add(value);
      touched.add(added.key);
      if (added.outcome === 'conflict') this.options.logger.error({ partition, offset }, `${name(value)} seen before with other content; the first is kept`);
    });
    await this.publishPositions(touched);
  }

  /**
   * Takes the venue's figures of a batch of snapshots and republishes every derivatives position
   * of their accounts, as for fills (a redelivered batch publishes again): a position the venue
   * no longer lists loses its figures.
   */
  private async annotate(batch: Array<Delivered<VenueSnapshot>>): Promise<void> {
    const accounts: VenueSnapshot[] = [];
    await applyOrDeadLetter(this.options, this.topics.venueSnapshots, batch, ({ value }) => {
      this.venueFigures.apply(value);
      accounts.push(value);
    });
    const touched = this.positions.positions().filter((position) => accounts.some((account) => VenueFiguresBook.covers(account, position)));
    await this.publishPositions(new Set(touched.map(positionKey)));
  }

  private async publishPositions(keys: ReadonlySet<string>): Promise<void> {
    const positions = [...keys].map((key) => this.positions.position(key)!);
    await this.options.messages.publish(this.topics.positions, positions.map((position) => toPositionMessage(position, this.venueFigures.figures(position))));
  }

  private async mergeBalances(batch: Array<Delivered<BalanceSnapshot>>): Promise<void> {
    // As for fills: every account the batch touched, so a redelivered batch publishes again.
    const touched = new Set<string>();
    await applyOrDeadLetter(this.options, this.topics.balanceSnapshots, batch, ({ value }) => void touched.add(this.balances.apply(value)));
    await this.options.messages.publish(this.topics.balances, [...touched].map((key) => this.balances.balances(key)!));
  }
}
