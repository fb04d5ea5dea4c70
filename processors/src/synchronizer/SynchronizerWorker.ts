import { randomUUID } from 'node:crypto';
import {
  Decimal,
  parseSymbol,
  roundToStep,
  TOPICS,
  type Alert,
  type BalanceSnapshot,
  type BookSnapshot,
  type ControlCommand,
  type Fill,
  type Intent,
  type IntentStatus,
  type OrderEvent,
  type Position,
  type Side,
  type SymbolMetadata,
  type SyncDecision,
  type SyncDecisionKind,
} from '@crossvenue/schemas';
import type { Consumer, Delivered, Logger, MessageBus, SynchronizerMetrics } from '@crossvenue/runtime';
import { orderIntentEnvelope } from '../intents/orderIntent.ts';
import { applyOrDeadLetter } from '../worker/applyOrDeadLetter.ts';
import { copyIntentId, fillKey, orderKey } from './copyIds.ts';
import { CopyLedger } from './CopyLedger.ts';
import type { FollowerConfig } from './FollowerConfig.ts';
import { mapInstrument } from './instrumentMap.ts';
import { resyncDecision, driftOf } from './resync.ts';
import { capPosition, impliedTarget, targetAfter } from './sizing.ts';
import { SyncView } from './SyncView.ts';
import { fitToVenue } from './venueFit.ts';

export interface SynchronizerWorkerOptions {
  messages: MessageBus;
  followers: readonly FollowerConfig[];
  logger: Logger;
  metrics?: SynchronizerMetrics;
  clock?: () => number;
  /** How often re-sync, orphan cancels and the stall watchdog run (default 5 s). */
  tickMs?: number;
  /**
   * A copy holds the re-sync of its instrument back for this long after it was sent while it works,
   * and when it ended with nothing filled (refused, expired: its venue may be dark, and is not asked
   * again every tick); default 10 s.
   */
  settleMs?: number;
  /** No input for this long, or one input handled for this long, raises SYNC_STALLED (default 60 s). */
  stallMs?: number;
}

/** CONFIG_CHANGE key that pauses (value true) or resumes (false) a follower. */
export const pauseKey = (follower: string) => `synchronizer.${follower}.paused`;

const ZERO = new Decimal(0);
const BPS = new Decimal(10_000);
const COMPONENT = 'synchronizer';
/** Fill identities kept to drop redeliveries, and how long a finished copy is kept to measure late fills: a copier runs for months. */
const SEEN_FILLS_KEPT = 100_000;
const FINISHED_COPY_KEPT_MS = 10 * 60_000;
/** After a copy filled and ended, the positions worker's time to fold its fills before the re-sync reads the position. */
const POSITION_FOLD_MS = 1_000;
const FINAL_INTENT_STATES = new Set<IntentStatus['state']>(['DONE', 'REJECTED', 'CANCELED', 'EXPIRED']);

/** A follower intent this run sent, to measure it and to know when it is done. */
interface CopyOrder {
  follower: FollowerConfig;
  instrument: string;
  side: Side;
  amount: Decimal;
  sentAtMs: number;
  /** The leader fill it copies: lag and slippage are measured against it. Null for a correction or a resting order. */
  leader: { receivedAtMs: number; price: Decimal } | null;
  filled: Decimal;
  /** When the execution side said it will do nothing more, or its fills reached its amount. */
  doneAtMs: number | null;
}

/** A leader resting order copied to one follower. */
interface RestingCopy {
  follower: FollowerConfig;
  intentId: string;
  leaderInstrument: string;
  instrument: string;
  /** When the leader's order stopped working without the follower's being done: the orphan clock. */
  leaderDoneAtMs: number | null;
}

/**
 * The trade synchronizer (copy trading): reads each leader's fills and order events (a leader is
 * one venue account; its orders may come through Crossvenue or be placed on the venue directly, in
 * which case only its fills are seen, with intentId null) and publishes intents (source
 * SYNCHRONIZER) that keep each follower's account in line, audited decision by decision on
 * `sync.decisions`.
 *
 * - A leader fill of an order that has no resting copy moves each follower's target by its sizing
 *   mode; the follower is sent what the target asks for that was not sent yet (a market IOC), cut to
 *   its caps and its venue's rules. What is too small for the venue stays residual (CopyLedger).
 * - A leader limit order that rests (NEW, through Crossvenue) is mirrored as a GTC limit order,
 *   amended and cancelled with it; its fills then move the target without a market copy. A follower
 *   order whose leader order is gone is cancelled after the follower's orphan grace.
 * - Every tick, a follower whose position drifted from the target its mode implies (missed fills, an
 *   outage, a manual trade) beyond its threshold, and has no copy in flight, gets a correction.
 * - Ids derive from the leader event and the follower (copyIds.ts), so a redelivered leader fill
 *   never becomes a second order.
 *
 * Known limits: its state is in memory. A restart resumes reading where its group committed, adopts
 * each follower's position as the target until the next re-sync re-derives it (a notional follower
 * keeps the position it holds), and forgets resting copies made before (their follower orders stay,
 * and the re-sync still corrects the position). One instance runs per deployment.
 */
export class SynchronizerWorker {
  private readonly view = new SyncView();
  private readonly clock: () => number;
  private readonly ledgers = new Map<string, CopyLedger>();
  /** Leader positions folded from the fills seen (base asset), seeded from state.positions. */
  private readonly leaderPositions = new Map<string, Decimal>();
  private readonly seenFills = new Set<string>();
  private readonly copies = new Map<string, CopyOrder>();
  private readonly resting = new Map<string, RestingCopy[]>();
  /** Leader intents (PLACE or MODIFY) whose order is conditional: their resting orders are not mirrored. */
  private readonly conditional = new Set<string>();
  private readonly paused = new Map<string, boolean>();
  /** The last re-sync skip reason of each follower instrument: a skip is audited when it changes, not every tick. */
  private readonly lastSkip = new Map<string, string>();
  private readonly raised = new Set<string>();
  private readonly runId: string;
  private corrections = 0;
  private consumers: Consumer[] = [];
  private ticker: NodeJS.Timeout | undefined;
  private turn: Promise<void> = Promise.resolve();
  private busySinceMs: number | null = null;
  private lastInputAtMs: number;

  constructor(private readonly options: SynchronizerWorkerOptions) {
    this.clock = options.clock ?? Date.now;
    this.runId = this.clock().toString(36);
    this.lastInputAtMs = this.clock();
    for (const follower of options.followers) this.paused.set(follower.name, follower.paused);
    options.metrics?.watchFollowerDrift(() => this.drifts());
  }

  async start(): Promise<void> {
    const { messages } = this.options;
    this.consumers.push(
      // State and reference data: read whole by every instance, never committed.
      await messages.subscribe({
        groupId: `synchronizer-state-${randomUUID()}`,
        topics: [TOPICS.symbols, TOPICS.positions, TOPICS.balances, TOPICS.controlCommands],
        fromBeginning: true,
        commit: false,
        handle: async (batch) => {
          const topic = batch[0]!.topic;
          if (topic === TOPICS.symbols.name) await applyOrDeadLetter(this.options, TOPICS.symbols, batch as Array<Delivered<SymbolMetadata>>, ({ value }) => this.view.applyMarket(value));
          else if (topic === TOPICS.positions.name) await applyOrDeadLetter(this.options, TOPICS.positions, batch as Array<Delivered<Position>>, ({ value }) => this.view.applyPosition(value));
          else if (topic === TOPICS.balances.name) await applyOrDeadLetter(this.options, TOPICS.balances, batch as Array<Delivered<BalanceSnapshot>>, ({ value }) => this.view.applyBalances(value));
          else for (const { value } of batch as Array<Delivered<ControlCommand>>) await this.inTurn(() => this.control(value));
        },
      }),
      await messages.subscribe({
        groupId: `synchronizer-books-${randomUUID()}`,
        topics: [TOPICS.bookSnapshots],
        fromBeginning: false,
        commit: false,
        handle: async (batch) => {
          this.lastInputAtMs = this.clock();
          await applyOrDeadLetter(this.options, TOPICS.bookSnapshots, batch as Array<Delivered<BookSnapshot>>, ({ value }) => this.view.applyBook(value));
        },
      }),
      // The terms of the leaders' intents: whether an order that rests is conditional (order events do not say).
      await messages.subscribe({
        groupId: `synchronizer-intents-${randomUUID()}`,
        topics: [TOPICS.intents],
        fromBeginning: false,
        commit: false,
        handle: async (batch) => {
          for (const { value } of batch as Array<Delivered<Intent>>) this.noteLeaderIntent(value);
        },
      }),
      // The leaders' and followers' executions: resumed where the group committed, so nothing is copied twice or missed.
      await messages.subscribe({
        groupId: 'synchronizer',
        topics: [TOPICS.fills, TOPICS.orderEvents, TOPICS.intentStatus],
        fromBeginning: false,
        handle: async (batch) => {
          this.lastInputAtMs = this.clock();
          for (const { topic, value } of batch) {
            if (topic === TOPICS.fills.name) await this.inTurn(() => this.onFill(value as Fill));
            else if (topic === TOPICS.orderEvents.name) await this.inTurn(() => this.onOrderEvent(value as OrderEvent));
            else this.onIntentStatus(value as IntentStatus);
          }
        },
      }),
    );
    const tickMs = this.options.tickMs ?? 5_000;
    this.ticker = setInterval(() => void this.tick().catch((error: unknown) => this.options.logger.error({ err: error }, 'synchronizer tick failed')), tickMs);
    this.options.logger.info({ followers: this.options.followers.map(({ name }) => name) }, `synchronizer running for ${this.options.followers.length} follower(s)`);
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
    await this.turn;
  }

  /** Whether the follower is paused now. */
  isPaused(follower: string): boolean {
    return this.paused.get(follower) ?? false;
  }

  /** The follower's residual (signed, base asset) in its instrument: what its target asks for that could not be sent yet. */
  residualOf(follower: string, instrument: string): Decimal {
    return this.ledgers.get(`${follower}|${instrument}`)?.residual ?? ZERO;
  }

  /** Re-sync, orphan cancels and the stall watchdog; runs on the timer, and may be called directly. */
  async tick(): Promise<void> {
    this.watchdog();
    await this.inTurn(async () => {
      await this.cancelOrphans();
      await this.resync();
      this.forgetFinishedCopies();
    });
  }

  // --- leader and follower executions ---

  private async onFill(fill: Fill): Promise<void> {
    const key = fillKey(fill);
    if (this.seenFills.has(key)) return;
    this.seenFills.add(key);
    // A Set iterates in insertion order: the first is the oldest.
    if (this.seenFills.size > SEEN_FILLS_KEPT) this.seenFills.delete(this.seenFills.values().next().value!);
    if (fill.intentId !== null) this.followerFill(fill);
    const followers = this.followersOf(fill.venue, fill.account);
    if (followers.length === 0) return;
    const quantity = this.view.toBase(fill.venue, fill.instrument, new Decimal(fill.quantity)).times(fill.side === 'BUY' ? 1 : -1);
    const leaderBefore = this.leaderPositionBefore(fill, quantity);
    this.leaderPositions.set(`${fill.venue}|${fill.account}|${fill.instrument}`, leaderBefore.plus(quantity));
    const restingCopies = this.resting.get(orderKey(fill)) ?? [];
    for (const follower of followers) {
      await this.copyFill(follower, fill, key, quantity, leaderBefore, restingCopies.some((copy) => copy.follower === follower));
    }
  }

  /** The leader's position before `fill`: folded from the fills seen, or the positions worker's, less the fill when it already counts it. */
  private leaderPositionBefore(fill: Fill, quantity: Decimal): Decimal {
    const folded = this.leaderPositions.get(`${fill.venue}|${fill.account}|${fill.instrument}`);
    if (folded !== undefined) return folded;
    const position = this.view.positionOf(fill.venue, fill.account, fill.instrument);
    const counted = this.view.positionRecords(fill.venue, fill.account, fill.instrument).some(({ lastFill }) => lastFill?.venueTradeId === fill.venueTradeId);
    return counted ? position.minus(quantity) : position;
  }

  private async copyFill(follower: FollowerConfig, fill: Fill, key: string, quantity: Decimal, leaderBefore: Decimal, hasRestingCopy: boolean): Promise<void> {
    const base = { follower, leaderEvent: key, leaderInstrument: fill.instrument, eventId: `sync:${follower.name}:fill:${key}` };
    const instrument = mapInstrument(follower.instruments, fill.instrument);
    if (instrument === null) return this.decide({ ...base, kind: 'SKIP', instrument: fill.instrument, reason: `${fill.instrument} is not in the follower's instrument rules` });
    const ledger = this.ledger(follower, instrument);
    const price = new Decimal(fill.price);
    const sized = targetAfter(follower.sizing, { quantity, price, leaderBefore, targetBefore: ledger.target, equityRatio: this.equityRatio(follower, instrument) });
    if ('refused' in sized) return this.decide({ ...base, kind: 'SKIP', instrument, ledger, reason: sized.refused });
    const target = capPosition(sized.target, follower.maxPosition);
    const moved = target.minus(ledger.target);
    ledger.retarget(target);
    if (hasRestingCopy) {
      // The follower's resting copy is the mirror of this fill: it fills there, at the follower's venue.
      ledger.sent(moved);
      return this.decide({ ...base, kind: 'MIRROR', instrument, ledger, quantity: moved, reason: 'filled through the follower\'s resting copy of the leader order' });
    }
    if (this.isPaused(follower.name)) return this.decide({ ...base, kind: 'SKIP', instrument, ledger, quantity: ledger.residual, reason: 'paused: kept as residual' });
    const carried = ledger.residual.minus(moved);
    const intentId = copyIntentId(follower.name, 'f', key);
    const sent = await this.sendMarket(follower, instrument, ledger, intentId, { receivedAtMs: fill.receivedAtMs, price });
    if ('skip' in sent) return this.decide({ ...base, kind: 'SKIP', instrument, ledger, quantity: ledger.residual, reason: sent.skip });
    const kind: SyncDecisionKind = carried.isZero() ? 'MIRROR' : 'RESIDUAL_TRADE';
    const why = kind === 'RESIDUAL_TRADE' ? `copied with a residual of ${carried.toFixed()} from earlier skips` : 'copied';
    await this.decide({ ...base, kind, instrument, ledger, quantity: sent.quantity, intentId, reason: sent.capped ? `${why}; ${sent.capped}` : why });
    this.options.metrics?.copyLag(follower.name, 'sent', Math.max(0, this.clock() - fill.receivedAtMs) / 1_000);
  }

  /** A fill of a copy this run sent: measured against its leader fill, and counted toward its being done. */
  private followerFill(fill: Fill): void {
    const copy = this.copies.get(fill.intentId!);
    if (!copy || copy.doneAtMs !== null) return;
    if (copy.leader !== null && copy.filled.isZero()) {
      this.options.metrics?.copyLag(copy.follower.name, 'filled', Math.max(0, fill.receivedAtMs - copy.leader.receivedAtMs) / 1_000);
    }
    if (copy.leader !== null) {
      const worse = new Decimal(fill.price).minus(copy.leader.price).div(copy.leader.price).times(BPS).times(copy.side === 'BUY' ? 1 : -1);
      this.options.metrics?.copySlippage(copy.follower.name, worse.toNumber());
    }
    copy.filled = copy.filled.plus(this.view.toBase(fill.venue, fill.instrument, new Decimal(fill.quantity)));
    if (copy.filled.gte(copy.amount)) copy.doneAtMs = this.clock();
  }

  /** The execution side's word that a copy will do nothing more (done, rejected, expired, cancelled): it no longer holds the re-sync back. */
  private onIntentStatus(status: IntentStatus): void {
    const copy = this.copies.get(status.intentId);
    if (copy && copy.doneAtMs === null && FINAL_INTENT_STATES.has(status.state)) copy.doneAtMs = this.clock();
  }

  private async onOrderEvent(event: OrderEvent): Promise<void> {
    const followers = this.followersOf(event.venue, event.account);
    if (followers.length === 0) return;
    const key = orderKey(event);
    const copies = this.resting.get(key);
    if (!copies && event.state === 'NEW' && event.limitPrice !== null && new Decimal(event.remainingQuantity).gt(0)) {
      // A stop or take-profit rests untriggered: mirrored it would be a live limit order. Its fills are copied when it triggers.
      if (this.conditional.has(event.intentId)) return;
      return this.mirrorResting(followers, event, key);
    }
    if (!copies) return;
    if (event.event === 'AMEND_ACCEPTED') {
      for (const resting of copies) await this.amendResting(resting, event, key);
    } else if (event.state === 'CANCELED' || event.state === 'EXPIRED' || event.state === 'REJECTED') {
      this.resting.delete(key);
      for (const resting of copies) await this.cancelResting(resting, 'MIRROR', `the leader order ${event.state.toLowerCase()}`, `sync:${resting.follower.name}:order:${event.eventId}`, key);
    } else if (event.state === 'FILLED') {
      for (const resting of copies) resting.leaderDoneAtMs ??= this.clock();
    }
  }

  private noteLeaderIntent(intent: Intent): void {
    if (intent.source === 'SYNCHRONIZER' || intent.order === null) return;
    if (intent.order.trigger !== null) this.conditional.add(intent.intentId);
    else this.conditional.delete(intent.intentId);
  }

  /** A leader limit order now resting: each follower gets a GTC limit order sized like a fill of its whole remaining quantity. */
  private async mirrorResting(followers: FollowerConfig[], event: OrderEvent, key: string): Promise<void> {
    const copies: RestingCopy[] = [];
    for (const follower of followers) {
      const base = { follower, leaderEvent: key, leaderInstrument: event.instrument, eventId: `sync:${follower.name}:order:${event.eventId}` };
      const instrument = mapInstrument(follower.instruments, event.instrument);
      if (instrument === null) {
        await this.decide({ ...base, kind: 'SKIP', instrument: event.instrument, reason: `${event.instrument} is not in the follower's instrument rules` });
        continue;
      }
      if (this.isPaused(follower.name)) {
        await this.decide({ ...base, kind: 'SKIP', instrument, reason: 'paused: the resting order is not copied' });
        continue;
      }
      const order = this.restingOrder(follower, instrument, event);
      if ('skip' in order) {
        await this.decide({ ...base, kind: 'SKIP', instrument, reason: `resting order not copied: ${order.skip}` });
        continue;
      }
      const intentId = copyIntentId(follower.name, 'o', key);
      await this.publishIntent(follower, instrument, intentId, `${intentId}:place`, 'PLACE', event.side, order.quantity, order.price, 'GTC');
      copies.push({ follower, intentId, leaderInstrument: event.instrument, instrument, leaderDoneAtMs: null });
      await this.decide({ ...base, kind: 'MIRROR', instrument, side: event.side, quantity: order.quantity, limitPrice: order.price, intentId, reason: 'leader limit order resting: copied as a GTC limit order' });
    }
    if (copies.length > 0) this.resting.set(key, copies);
  }

  private async amendResting(resting: RestingCopy, event: OrderEvent, key: string): Promise<void> {
    const { follower, instrument, intentId } = resting;
    const base = { follower, leaderEvent: key, leaderInstrument: event.instrument, instrument, eventId: `sync:${follower.name}:order:${event.eventId}` };
    const order = this.restingOrder(follower, instrument, event);
    if ('skip' in order) return this.cancelResting(resting, 'MIRROR', `the leader amended its order to a size the follower cannot copy (${order.skip})`, base.eventId, key);
    await this.publishIntent(follower, instrument, intentId, `${intentId}:modify:${event.eventId}`, 'MODIFY', event.side, order.quantity, order.price, 'GTC');
    await this.decide({ ...base, kind: 'MIRROR', side: event.side, quantity: order.quantity, limitPrice: order.price, intentId, reason: 'leader amended its resting order' });
  }

  private async cancelResting(resting: RestingCopy, kind: SyncDecisionKind, reason: string, eventId: string, leaderEvent: string | null): Promise<void> {
    const { follower, instrument, intentId } = resting;
    await this.options.messages.publish(TOPICS.intents, [{ ...this.intentBase(follower, instrument, intentId, `${intentId}:cancel`), action: 'CANCEL', order: null }]);
    await this.decide({ follower, kind, instrument, leaderInstrument: resting.leaderInstrument, leaderEvent, eventId, intentId, reason });
  }

  /** A leader order's terms for a follower: its whole quantity (filled and remaining) sized, fitted to the follower venue, and its price on the follower's tick. */
  private restingOrder(follower: FollowerConfig, instrument: string, event: OrderEvent): { quantity: Decimal; price: Decimal } | { skip: string } {
    const price = new Decimal(event.limitPrice!);
    const total = this.view.toBase(event.venue, event.instrument, new Decimal(event.filledQuantity).plus(event.remainingQuantity));
    const leaderBefore = this.leaderPositions.get(`${event.venue}|${event.account}|${event.instrument}`) ?? this.view.positionOf(event.venue, event.account, event.instrument);
    const ledger = this.ledger(follower, instrument);
    const signed = total.times(event.side === 'BUY' ? 1 : -1);
    const sized = targetAfter(follower.sizing, { quantity: signed, price, leaderBefore, targetBefore: ledger.target, equityRatio: this.equityRatio(follower, instrument) });
    if ('refused' in sized) return { skip: sized.refused };
    const market = this.view.market(follower.venue, instrument);
    const fit = fitToVenue(capPosition(sized.target, follower.maxPosition).minus(ledger.target), market, price, follower.maxOrderQuantity);
    if ('skip' in fit) return fit;
    // Never a worse price than the leader's: a buy rounds down to the tick, a sell up.
    const tick = market?.priceTick;
    const onTick = tick ? roundToStep(price, tick, event.side === 'BUY' ? 'DOWN' : 'UP') : price;
    return { quantity: fit.quantity.abs(), price: onTick };
  }

  // --- timers: orphans and re-sync ---

  private async cancelOrphans(): Promise<void> {
    const now = this.clock();
    for (const [key, copies] of this.resting) {
      const left: RestingCopy[] = [];
      for (const resting of copies) {
        const copy = this.copies.get(resting.intentId);
        if (copy !== undefined && copy.doneAtMs !== null) continue;
        if (resting.leaderDoneAtMs !== null && now - resting.leaderDoneAtMs >= resting.follower.orphanGraceMs) {
          const reason = `the leader order filled ${now - resting.leaderDoneAtMs} ms ago and the follower's copy is still working (grace ${resting.follower.orphanGraceMs} ms)`;
          await this.cancelResting(resting, 'ORPHAN_CANCEL', reason, `sync:${resting.follower.name}:orphan:${resting.intentId}`, key);
        } else {
          left.push(resting);
        }
      }
      if (left.length > 0) this.resting.set(key, left);
      else this.resting.delete(key);
    }
  }

  private async resync(): Promise<void> {
    for (const follower of this.options.followers) {
      if (this.isPaused(follower.name)) continue;
      for (const leaderInstrument of this.view.instrumentsOf(follower.leader.venue, follower.leader.account)) {
        const instrument = mapInstrument(follower.instruments, leaderInstrument);
        if (instrument !== null) await this.resyncOne(follower, leaderInstrument, instrument);
      }
    }
  }

  private async resyncOne(follower: FollowerConfig, leaderInstrument: string, instrument: string): Promise<void> {
    const now = this.clock();
    const inFlight = [...this.copies.values()].some((copy) => copy.follower === follower && copy.instrument === instrument && this.holdsResync(copy, now));
    const resting = [...this.resting.values()].some((copies) => copies.some((copy) => copy.follower === follower && copy.instrument === instrument));
    if (inFlight || resting) return;
    const ledger = this.ledger(follower, instrument);
    const leaderPosition = this.view.positionOf(follower.leader.venue, follower.leader.account, leaderInstrument);
    const implied = impliedTarget(follower.sizing, leaderPosition, ledger.target, this.equityRatio(follower, instrument));
    if (implied === null) return;
    const target = capPosition(implied, follower.maxPosition);
    const actual = this.view.positionOf(follower.venue, follower.account, instrument);
    const decision = resyncDecision(target, actual, follower.driftThreshold);
    const skipKey = `${follower.name}|${instrument}`;
    if (decision.inLine) {
      this.lastSkip.delete(skipKey);
      return;
    }
    const intentId = `sync-${follower.name}-c-${this.runId}-${this.corrections}`;
    const before = new CopyLedger(actual);
    before.retarget(target);
    const sent = await this.sendMarket(follower, instrument, before, intentId, null);
    const base = { follower, leaderEvent: null, leaderInstrument, instrument, targetQuantity: target, actualQuantity: actual };
    if ('skip' in sent) {
      if (this.lastSkip.get(skipKey) === sent.skip) return;
      this.lastSkip.set(skipKey, sent.skip);
      return this.decide({ ...base, kind: 'SKIP', eventId: `sync:${follower.name}:resync:${this.runId}-${this.corrections++}`, quantity: decision.correction, reason: `correction not sent: ${sent.skip}` });
    }
    this.corrections++;
    this.lastSkip.delete(skipKey);
    ledger.corrected(target, actual, sent.quantity);
    const reason = `position ${actual.toFixed()} drifted ${decision.drift.times(100).toDecimalPlaces(2).toFixed()}% from its target ${target.toFixed()} (threshold ${follower.driftThreshold.times(100).toFixed()}%)`;
    await this.decide({ ...base, kind: 'CORRECTION', eventId: `sync:${follower.name}:${intentId}`, quantity: sent.quantity, intentId, reason });
  }

  /** Whether a copy's outcome may still move the follower's position, or has just moved it and the positions worker may not have folded it yet. */
  private holdsResync(copy: CopyOrder, now: number): boolean {
    if (copy.doneAtMs !== null && copy.filled.gt(0)) return now - copy.doneAtMs < POSITION_FOLD_MS;
    return now - copy.sentAtMs < (this.options.settleMs ?? 10_000);
  }

  private forgetFinishedCopies(): void {
    const now = this.clock();
    for (const [intentId, copy] of this.copies) if (copy.doneAtMs !== null && now - copy.doneAtMs > FINISHED_COPY_KEPT_MS) this.copies.delete(intentId);
  }

  // --- control and the watchdog ---

  private async control(command: ControlCommand): Promise<void> {
    if (command.type !== 'CONFIG_CHANGE') return;
    const follower = this.options.followers.find(({ name }) => command.configKey === pauseKey(name));
    if (!follower) return;
    const paused = command.configValue === 'true';
    if (command.configValue !== 'true' && command.configValue !== 'false') {
      this.options.logger.warn({ command: command.eventId }, `${command.configKey}: value ${command.configValue} is neither true nor false; ignored`);
      return;
    }
    if (this.isPaused(follower.name) === paused) return;
    this.paused.set(follower.name, paused);
    const instrument = follower.instruments[0]?.follower ?? '*';
    await this.decide({ follower, kind: paused ? 'PAUSE' : 'RESUME', instrument, leaderEvent: null, leaderInstrument: null, eventId: `sync:${follower.name}:control:${command.eventId}`, reason: `${command.issuedBy}: ${command.reason}` });
  }

  /**
   * Raises SYNC_STALLED (critical) instead of stopping silently: when no book or execution has
   * arrived for `stallMs` (its consumers stopped), or one input has been handled for that long (a
   * publish hangs). Said once per condition; SYNC_RECOVERED when it clears.
   */
  private watchdog(): void {
    const now = this.clock();
    const stallMs = this.options.stallMs ?? 60_000;
    const quiet = now - this.lastInputAtMs;
    const busy = this.busySinceMs === null ? 0 : now - this.busySinceMs;
    void this.condition('inputs', quiet >= stallMs, `no book, fill or order event received for ${Math.round(quiet / 1_000)} s: its consumers may have stopped`);
    void this.condition('handler', busy >= stallMs, `one input has been in hand for ${Math.round(busy / 1_000)} s: copying is held up`);
  }

  private async condition(subject: string, on: boolean, message: string): Promise<void> {
    if (on === this.raised.has(subject)) return;
    if (on) this.raised.add(subject);
    else this.raised.delete(subject);
    const now = this.clock();
    const alert: Alert = {
      eventId: `sync:alert:${subject}:${now}`,
      severity: on ? 'CRITICAL' : 'INFO',
      code: on ? 'SYNC_STALLED' : 'SYNC_RECOVERED',
      component: COMPONENT,
      venue: null,
      account: null,
      subject,
      message: on ? `synchronizer stalled: ${message}` : `synchronizer ${subject} flowing again`,
      raisedAtMs: now,
    };
    this.options.logger[on ? 'error' : 'info']({ subject }, alert.message);
    await this.options.messages.publish(TOPICS.alerts, [alert]).catch((error: unknown) => this.options.logger.error({ err: error }, 'could not publish the stall alert'));
  }

  // --- helpers ---

  private followersOf(venue: string, account: string): FollowerConfig[] {
    return this.options.followers.filter(({ leader }) => leader.venue === venue && leader.account === account);
  }

  private ledger(follower: FollowerConfig, instrument: string): CopyLedger {
    const key = `${follower.name}|${instrument}`;
    let ledger = this.ledgers.get(key);
    if (!ledger) {
      ledger = new CopyLedger(this.view.positionOf(follower.venue, follower.account, instrument));
      this.ledgers.set(key, ledger);
    }
    return ledger;
  }

  /** Follower equity / leader equity in the follower instrument's quote currency; null until both are known. */
  private equityRatio(follower: FollowerConfig, instrument: string): Decimal | null {
    if (follower.sizing.mode !== 'equity') return null;
    const currency = parseSymbol(instrument).quote;
    const mine = this.view.equity(follower.venue, follower.account, currency);
    const leader = this.view.equity(follower.leader.venue, follower.leader.account, currency);
    if ('unknown' in mine || 'unknown' in leader || !leader.value.gt(0)) return null;
    return mine.value.div(leader.value);
  }

  /** Sends what `ledger`'s residual asks for as a market IOC, fitted to the venue; the ledger counts what was sent. */
  private async sendMarket(follower: FollowerConfig, instrument: string, ledger: CopyLedger, intentId: string, leader: CopyOrder['leader']): Promise<{ quantity: Decimal; capped: string | null } | { skip: string }> {
    const price = this.view.mid(follower.venue, instrument) ?? leader?.price ?? null;
    const available = this.view.available(follower.venue, follower.account, instrument, ledger.residual.gt(0) ? 'BUY' : 'SELL', price);
    const fit = fitToVenue(ledger.residual, this.view.market(follower.venue, instrument), price, follower.maxOrderQuantity, available);
    if ('skip' in fit) return fit;
    const side: Side = fit.quantity.gt(0) ? 'BUY' : 'SELL';
    await this.publishIntent(follower, instrument, intentId, `${intentId}:place`, 'PLACE', side, fit.quantity.abs(), null, 'IOC');
    ledger.sent(fit.quantity);
    this.copies.set(intentId, { follower, instrument, side, amount: fit.quantity.abs(), sentAtMs: this.clock(), leader, filled: ZERO, doneAtMs: null });
    return fit;
  }

  private async publishIntent(follower: FollowerConfig, instrument: string, intentId: string, eventId: string, action: 'PLACE' | 'MODIFY', side: Side, amount: Decimal, limitPrice: Decimal | null, timeInForce: 'IOC' | 'GTC'): Promise<void> {
    const intent: Intent = {
      ...this.intentBase(follower, instrument, intentId, eventId),
      action,
      order: {
        side,
        amount: amount.toFixed(),
        amountType: 'BASE',
        limitPrice: limitPrice?.toFixed() ?? null,
        timeInForce,
        expireAtMs: null,
        postOnly: false,
        reduceOnly: false,
        trigger: null,
        icebergQuantity: null,
      },
    };
    await this.options.messages.publish(TOPICS.intents, [intent]);
    if (action === 'PLACE' && timeInForce === 'GTC') {
      this.copies.set(intentId, { follower, instrument, side, amount, sentAtMs: this.clock(), leader: null, filled: ZERO, doneAtMs: null });
    }
  }

  private intentBase(follower: FollowerConfig, instrument: string, intentId: string, eventId: string) {
    const { portfolio, account, leader } = follower;
    const envelope = orderIntentEnvelope({ eventId, intentId, portfolio, account, instrument, source: 'SYNCHRONIZER', requestedBy: `${leader.venue}|${leader.account}`, createdAtMs: this.clock() });
    return { ...envelope, venues: [follower.venue] };
  }

  private async decide(decision: {
    follower: FollowerConfig;
    kind: SyncDecisionKind;
    instrument: string;
    leaderEvent: string | null;
    leaderInstrument: string | null;
    eventId: string;
    reason: string;
    ledger?: CopyLedger;
    side?: Side;
    quantity?: Decimal;
    limitPrice?: Decimal;
    intentId?: string;
    targetQuantity?: Decimal;
    actualQuantity?: Decimal;
  }): Promise<void> {
    const { follower, ledger, quantity } = decision;
    const side = decision.side ?? (quantity && !quantity.isZero() ? (quantity.gt(0) ? 'BUY' : 'SELL') : null);
    const record: SyncDecision = {
      eventId: decision.eventId,
      follower: follower.name,
      kind: decision.kind,
      leaderVenue: follower.leader.venue,
      leaderAccount: follower.leader.account,
      leaderEvent: decision.leaderEvent,
      leaderInstrument: decision.leaderInstrument,
      portfolio: follower.portfolio,
      account: follower.account,
      venue: follower.venue,
      instrument: decision.instrument,
      side,
      quantity: quantity?.abs().toFixed() ?? null,
      limitPrice: decision.limitPrice?.toFixed() ?? null,
      targetQuantity: (decision.targetQuantity ?? ledger?.target)?.toFixed() ?? null,
      actualQuantity: (decision.actualQuantity ?? (ledger ? this.view.positionOf(follower.venue, follower.account, decision.instrument) : undefined))?.toFixed() ?? null,
      residualQuantity: ledger?.residual.toFixed() ?? null,
      intentId: decision.intentId ?? null,
      reason: decision.reason,
      decidedAtMs: this.clock(),
    };
    this.options.logger.info({ follower: follower.name, kind: record.kind, instrument: record.instrument, quantity: record.quantity, intentId: record.intentId }, `${follower.name}: ${record.kind} ${record.reason}`);
    await this.options.messages.publish(TOPICS.syncDecisions, [record]);
  }

  private *drifts() {
    for (const [key, ledger] of this.ledgers) {
      const [name, instrument] = key.split('|') as [string, string];
      const follower = this.options.followers.find((candidate) => candidate.name === name)!;
      const actual = this.view.positionOf(follower.venue, follower.account, instrument);
      yield { follower: name, instrument, drift: driftOf(ledger.target, actual).toNumber() };
    }
  }

  /** Runs `work` after everything handed over before it, so the copy state is changed by one input at a time. */
  private inTurn(work: () => Promise<void>): Promise<void> {
    const next = this.turn.then(async () => {
      this.busySinceMs = this.clock();
      try {
        await work();
      } finally {
        this.busySinceMs = null;
      }
    });
    this.turn = next.catch((error: unknown) => this.options.logger.error({ err: error }, 'synchronizer input failed'));
    return next;
  }
}
