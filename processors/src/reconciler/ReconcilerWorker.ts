import { TOPICS, type Fill, type OrderEvent, type VenueSnapshot } from '@crossvenue/schemas';
import { type Consumer, type Delivered, type Logger, type MessageBus } from '@crossvenue/runtime';
import { applyOrDeadLetter } from '../worker/applyOrDeadLetter.ts';
import { AccountView } from './AccountView.ts';
import { reconcile, type ReconcilePolicy } from './reconcile.ts';

export interface SyncState {
  venue: string;
  account: string;
  portfolio: string;
  lastReconciledMs: number;
  discrepancies: number;
}

/**
 * Whether a held snapshot may be compared: once the order events and fills of its partition have
 * been read past it, or, on a quiet stream that never passes it, after `holdMs`, but only once the
 * consumer has caught up with the backlog it was given. While a restarted instance re-reads its
 * partitions, the fills topic can lag the snapshots topic by far more than `holdMs`; a snapshot
 * compared then finds trades "missing" that are only not read yet, and their corrections would
 * re-publish fills of old trades (chaos, kill-reconciler).
 */
export function snapshotReady(held: { inputsPassed: boolean; caughtUp: boolean; heldMs: number; holdMs: number }): boolean {
  return held.inputsPassed || (held.caughtUp && held.heldMs >= held.holdMs);
}

/**
 * The reconciler on the bus: folds order events and fills into one AccountView per venue account,
 * reconciles every venue snapshot against it, and publishes the corrections, discrepancies and
 * alerts. The three topics share the portfolio key, so a snapshot is compared with exactly the
 * order events and fills that came before it on the same partition.
 *
 * Kafka orders records within a partition, not across topics: a snapshot can be read before an
 * order event or fill published ahead of it. So a snapshot waits until the order events and fills
 * of its partition have been read past its time, or `holdMs` once caught up (a quiet stream never
 * passes it), before it is compared (snapshotReady).
 *
 * Instances share the partitions in one consumer group that never commits. Whenever the group
 * gives an instance its partitions (at start, and after every rebalance), it drops what it knew
 * and reads them from the beginning (fills are kept forever); snapshots older than
 * `maxSnapshotAgeMs` then only re-anchor balances, so taking partitions over never repeats old
 * corrections, and an instance reports only accounts on the partitions it holds.
 */
export class ReconcilerWorker {
  private views = new Map<string, AccountView>();
  private syncByAccount = new Map<string, SyncState>();
  /** Accounts already reported stale; cleared by their next snapshot, so each outage is said once. */
  private stale = new Set<string>();
  private consumer: Consumer | undefined;
  private staleness: NodeJS.Timeout | undefined;
  /** Kafka time of the latest order event and fill read, per partition. */
  private readUpTo = new Map<string, number>();
  private pending: Array<{ snapshot: VenueSnapshot; partition: number; timestampMs: number; heldSinceMs: number }> = [];
  private releasing: Promise<void> = Promise.resolve();
  private release: NodeJS.Timeout | undefined;

  constructor(
    private readonly messages: MessageBus,
    private readonly policy: ReconcilePolicy,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly holdMs = 1_000,
    /** The consumer group its instances share. */
    private readonly groupId = 'reconciler',
  ) {}

  async start(): Promise<void> {
    const inputs = [TOPICS.orderEvents, TOPICS.fills, TOPICS.venueSnapshots];
    this.consumer = await this.messages.subscribe({
      groupId: this.groupId,
      topics: inputs,
      fromBeginning: true,
      commit: false,
      onAssigned: () => this.forget(),
      handle: async (batch) => {
        const topic = inputs.find(({ name }) => name === batch[0]!.topic)!;
        await applyOrDeadLetter({ messages: this.messages, logger: this.logger }, topic, batch, (message) => this.apply(message));
        await this.reconcileReady();
      },
    });
    this.release = setInterval(() => void this.reconcileReady().catch((error) => this.logger.error({ err: error }, 'reconciling failed')), this.holdMs / 4);
    this.staleness = setInterval(() => void this.reportStaleAccounts().catch((error) => this.logger.error({ err: error }, 'staleness check failed')), this.policy.maxSnapshotAgeMs / 4);
  }

  async stop(): Promise<void> {
    clearInterval(this.staleness);
    clearInterval(this.release);
    await this.releasing;
    await this.consumer?.stop();
  }

  /**
   * A venue account whose snapshots stopped coming is itself a discrepancy: its state can no
   * longer be checked. Reported once per outage, with an alert.
   */
  async reportStaleAccounts(): Promise<void> {
    const nowMs = this.now();
    for (const [key, state] of this.syncByAccount) {
      const silentMs = nowMs - state.lastReconciledMs;
      if (silentMs <= this.policy.maxSnapshotAgeMs || this.stale.has(key)) continue;
      this.stale.add(key);
      const subject = `no snapshot for ${silentMs} ms`;
      const id = `recon:stale:${key}:${state.lastReconciledMs}`;
      const correction = 'not reconciled until snapshots resume';
      await this.messages.publish(TOPICS.discrepancies, [
        { eventId: id, venue: state.venue, account: state.account, portfolio: state.portfolio, kind: 'STALE_VENUE', subject, internalValue: null, venueValue: null, correction, detectedAtMs: nowMs },
      ]);
      await this.messages.publish(TOPICS.alerts, [
        { eventId: `${id}:alert`, severity: 'CRITICAL', code: 'STALE_VENUE', component: 'reconciler', venue: state.venue, account: state.account, subject: null, message: `${state.venue}/${state.account}: ${subject}; ${correction}`, raisedAtMs: nowMs },
      ]);
      this.logger.warn({ venue: state.venue, account: state.account, silentMs }, `${state.venue}/${state.account} stale: ${subject}`);
    }
  }

  /** How each venue account on the partitions this instance holds was last reconciled. */
  get sync(): ReadonlyMap<string, SyncState> {
    return this.syncByAccount;
  }

  /** Everything folded so far: the partitions given now are read again from the beginning. */
  private forget(): void {
    this.views = new Map();
    this.syncByAccount = new Map();
    this.stale = new Set();
    this.readUpTo = new Map();
    this.pending = [];
  }

  private view(venue: string, account: string): AccountView {
    const key = `${venue}|${account}`;
    let view = this.views.get(key);
    if (!view) this.views.set(key, (view = new AccountView()));
    return view;
  }

  private apply({ topic, partition, value, timestampMs }: Delivered<unknown>): void {
    if (topic === TOPICS.venueSnapshots.name) {
      this.pending.push({ snapshot: value as VenueSnapshot, partition, timestampMs, heldSinceMs: this.now() });
      return;
    }
    this.readUpTo.set(`${topic}|${partition}`, Math.max(timestampMs, this.readUpTo.get(`${topic}|${partition}`) ?? 0));
    if (topic === TOPICS.orderEvents.name) {
      const event = value as OrderEvent;
      this.view(event.venue, event.account).applyOrderEvent(event);
    } else {
      const fill = value as Fill;
      this.view(fill.venue, fill.account).applyFill(fill);
    }
  }

  /** Compares every held snapshot whose partition's order events and fills have been read past it. */
  private reconcileReady(): Promise<void> {
    this.releasing = this.releasing.then(async () => {
      const nowMs = this.now();
      const passed = (topic: string, partition: number, timestampMs: number) => (this.readUpTo.get(`${topic}|${partition}`) ?? 0) >= timestampMs;
      const caughtUp = this.consumer?.catchUp().caughtUp === true;
      const ready = this.pending.filter(({ partition, timestampMs, heldSinceMs }) =>
        snapshotReady({
          inputsPassed: passed(TOPICS.orderEvents.name, partition, timestampMs) && passed(TOPICS.fills.name, partition, timestampMs),
          caughtUp,
          heldMs: nowMs - heldSinceMs,
          holdMs: this.holdMs,
        }),
      );
      this.pending = this.pending.filter((held) => !ready.includes(held));
      for (const { snapshot } of ready) await this.reconcile(snapshot);
    });
    return this.releasing;
  }

  private async reconcile(snapshot: VenueSnapshot): Promise<void> {
    const view = this.view(snapshot.venue, snapshot.account);
    const nowMs = this.now();
    if (nowMs - snapshot.receivedAtMs > this.policy.maxSnapshotAgeMs) {
      // History, read again at start: it moves the balance anchor and nothing else.
      view.anchorBalances(snapshot.balances, snapshot.venueTimeMs ?? snapshot.receivedAtMs);
      return;
    }
    const findings = reconcile(snapshot, view, this.policy, nowMs);
    // Corrections first: once a discrepancy is visible, the state that resolves it is already out.
    await this.messages.publish(TOPICS.fills, findings.fills);
    await this.messages.publish(TOPICS.orderEvents, findings.orderEvents);
    await this.messages.publish(TOPICS.discrepancies, findings.discrepancies);
    await this.messages.publish(TOPICS.alerts, findings.alerts);
    this.stale.delete(`${snapshot.venue}|${snapshot.account}`);
    this.syncByAccount.set(`${snapshot.venue}|${snapshot.account}`, {
      venue: snapshot.venue,
      account: snapshot.account,
      portfolio: snapshot.portfolio,
      lastReconciledMs: nowMs,
      discrepancies: findings.discrepancies.length,
    });
    for (const discrepancy of findings.discrepancies) {
      this.logger.warn({ discrepancy }, `${discrepancy.venue}/${discrepancy.account} ${discrepancy.kind} ${discrepancy.subject}: ${discrepancy.correction}`);
    }
  }
}
