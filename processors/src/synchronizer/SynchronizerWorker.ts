import { randomUUID } from 'node:crypto';
import {
  FINAL_INTENT_STATES,
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
import { copyIntentId, digest, fillKey, orderKey } from './copyIds.ts';
import { CopyLedger } from './CopyLedger.ts';
import { formatFollower, sameAccounts, type FollowerConfig } from './FollowerConfig.ts';
import { leverageCommand, readFollowerCommand, type FollowerCommand } from './followerCommands.ts';
import { mapInstrument } from './instrumentMap.ts';
import { resyncDecision, driftOf } from './resync.ts';
import { capPosition, impliedTarget, targetAfter } from './sizing.ts';
import { SyncView } from './SyncView.ts';
import { fitToVenue } from './venueFit.ts';

export interface SynchronizerWorkerOptions {
  messages: MessageBus;
  /** The config file's followers; control commands (followerCommands.ts) add, replace and remove followers over them. */
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
  /** The longest the start waits to have read control.commands to its end (default 60 s). */
  controlCatchUpMs?: number;
}

const ZERO = new Decimal(0);
const BPS = new Decimal(10_000);
const COMPONENT = 'synchronizer';
/** Fill identities kept to drop redeliveries, and how long a finished copy is kept to measure late fills: a copier runs for months. */
const SEEN_FILLS_KEPT = 100_000;
const FINISHED_COPY_KEPT_MS = 10 * 60_000;
/** After a copy filled and ended, the positions worker's time to fold its fills before the re-sync reads the position. */
const POSITION_FOLD_MS = 1_000;

/** What a decision is said of: a follower, or, for a refused configuration, what it named. */
type DecisionSubject = Pick<FollowerConfig, 'name' | 'leader' | 'portfolio' | 'venue' | 'account' | 'instruments'>;

/** The instrument a decision about the whole follower names: its first follower instrument, or "*" when it copies every one. */
const anyInstrument = (follower: Pick<FollowerConfig, 'instruments'>) => follower.instruments[0]?.follower ?? '*';

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
 * - Followers are the config file's with the control commands over them (followerCommands.ts):
 *   added, replaced or removed at run time, each audited, and read back whole at every start.
 *
 * Known limits: its copy state is in memory. A restart resumes reading where its group committed, adopts
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
  /** The followers now, by name: the config file's, then every follower control command over them in order. */
  private readonly followers = new Map<string, FollowerConfig>();
  /** Paused or resumed by a control command, by follower name (also for a follower not configured yet): wins over its configuration's `paused`. */
  private readonly pausedByCommand = new Map<string, boolean>();
  /** The leverage each account instrument was last asked for on control.commands (`venue|account|instrument`). */
  private readonly leverageAsked = new Map<string, string>();
  /** True while the start reads control.commands to its end: leverage is asked for once that is known. */
  private replaying = true;
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
    for (const follower of options.followers) this.followers.set(follower.name, follower);
    options.metrics?.watchFollowerDrift(() => this.drifts());
  }

  async start(): Promise<void> {
    const { messages } = this.options;
    this.consumers.push(
      // State and reference data: read whole by every instance, never committed.
      await messages.subscribe({
        groupId: `synchronizer-state-${randomUUID()}`,
        topics: [TOPICS.symbols, TOPICS.positions, TOPICS.balances],
        fromBeginning: true,
        commit: false,
        handle: async (batch) => {
          const topic = batch[0]!.topic;
          if (topic === TOPICS.symbols.name) await applyOrDeadLetter(this.options, TOPICS.symbols, batch as Array<Delivered<SymbolMetadata>>, ({ value }) => this.view.applyMarket(value));
          else if (topic === TOPICS.positions.name) await applyOrDeadLetter(this.options, TOPICS.positions, batch as Array<Delivered<Position>>, ({ value }) => this.view.applyPosition(value));
          else await applyOrDeadLetter(this.options, TOPICS.balances, batch as Array<Delivered<BalanceSnapshot>>, ({ value }) => this.view.applyBalances(value));
        },
      }),
    );
    await this.readControlToEnd();
    this.replaying = false;
    await this.inTurn(() => this.announceFollowers());
    this.consumers.push(
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
    this.options.logger.info({ followers: [...this.followers.keys()] }, `synchronizer running for ${this.followers.size} follower(s)`);
  }

  /**
   * Reads control.commands whole, in order, before any execution is copied: the followers, pauses
   * and leverages the API set (followerCommands.ts) apply over the config file's, so a restart
   * copies with what was configured last. The same consumer then keeps reading new commands.
   */
  private async readControlToEnd(): Promise<void> {
    const { messages } = this.options;
    const ends = await messages.bus.endOffsets(TOPICS.controlCommands.name);
    const behind = new Map(ends.filter(({ offset }) => BigInt(offset) > 0n).map(({ partition, offset }) => [partition, BigInt(offset)]));
    this.consumers.push(
      await messages.subscribe({
        groupId: `synchronizer-control-${randomUUID()}`,
        topics: [TOPICS.controlCommands],
        fromBeginning: true,
        commit: false,
        handle: async (batch) => {
          for (const { value, partition, offset } of batch as Array<Delivered<ControlCommand>>) {
            await this.inTurn(() => this.control(value));
            if (BigInt(offset) + 1n >= (behind.get(partition) ?? 0n)) behind.delete(partition);
          }
        },
      }),
    );
    const limitMs = this.options.controlCatchUpMs ?? 60_000;
    const started = Date.now();
    while (behind.size > 0) {
      if (Date.now() - started > limitMs) throw new Error(`the synchronizer did not read ${TOPICS.controlCommands.name} to its end in ${limitMs} ms: it would copy with followers the API has changed`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /**
   * At start, once control.commands is read: each follower still as the config file has it is
   * audited as CONFIGURE (an id from its configuration, so an unchanged restart repeats the same
   * record), and every follower's leverage is asked for where its account was last asked otherwise.
   */
  private async announceFollowers(): Promise<void> {
    for (const follower of this.followers.values()) {
      if (this.options.followers.includes(follower)) {
        const configuration = JSON.stringify(formatFollower(follower));
        await this.decide({ follower, kind: 'CONFIGURE', instrument: anyInstrument(follower), leaderEvent: null, leaderInstrument: null, eventId: `sync:${follower.name}:config-file:${digest(configuration)}`, reason: 'from the config file', configuration: follower });
      }
      await this.askLeverage(follower);
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
    await this.turn;
  }

  /** Whether the follower is paused now: its latest pause command, or its configuration's `paused` before any. */
  isPaused(follower: string): boolean {
    return this.pausedByCommand.get(follower) ?? this.followers.get(follower)?.paused ?? false;
  }

  /** The followers configured now (the config file's with the control commands applied), by name. */
  configured(): FollowerConfig[] {
    return [...this.followers.values()];
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
    const quantity = new Decimal(fill.quantity).times(fill.side === 'BUY' ? 1 : -1);
    const leaderBefore = this.leaderPositionBefore(fill, quantity);
    this.leaderPositions.set(`${fill.venue}|${fill.account}|${fill.instrument}`, leaderBefore.plus(quantity));
    const restingCopies = this.resting.get(orderKey(fill)) ?? [];
    for (const follower of followers) {
      await this.copyFill(follower, fill, key, quantity, leaderBefore, restingCopies.some((copy) => copy.follower.name === follower.name));
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
    copy.filled = copy.filled.plus(fill.quantity);
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
    const total = new Decimal(event.filledQuantity).plus(event.remainingQuantity);
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
    for (const follower of this.followers.values()) {
      if (this.isPaused(follower.name)) continue;
      for (const leaderInstrument of this.view.instrumentsOf(follower.leader.venue, follower.leader.account)) {
        const instrument = mapInstrument(follower.instruments, leaderInstrument);
        if (instrument !== null) await this.resyncOne(follower, leaderInstrument, instrument);
      }
    }
  }

  private async resyncOne(follower: FollowerConfig, leaderInstrument: string, instrument: string): Promise<void> {
    const now = this.clock();
    const inFlight = [...this.copies.values()].some((copy) => copy.follower.name === follower.name && copy.instrument === instrument && this.holdsResync(copy, now));
    const resting = [...this.resting.values()].some((copies) => copies.some((copy) => copy.follower.name === follower.name && copy.instrument === instrument));
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
    const read = readFollowerCommand(command);
    if (read === null) return;
    if (read.kind === 'leverage') {
      this.leverageAsked.set(`${read.venue}|${read.account}|${read.instrument}`, read.value);
      return;
    }
    // Derived from the command: the start re-reads every command, and decides each again under the same id.
    const eventId = `sync:${read.name}:control:${command.eventId}`;
    const by = `${command.issuedBy}: ${command.reason}`;
    const known = this.followers.get(read.name);
    switch (read.kind) {
      case 'pause': {
        const before = this.isPaused(read.name);
        this.pausedByCommand.set(read.name, read.paused);
        if (known && before !== read.paused) await this.decide({ follower: known, kind: read.paused ? 'PAUSE' : 'RESUME', instrument: anyInstrument(known), leaderEvent: null, leaderInstrument: null, eventId, reason: by });
        return;
      }
      case 'refuse':
        return this.refuse(read, known, eventId, by);
      case 'remove':
        if (!known) {
          this.options.logger.info({ follower: read.name, command: command.eventId }, `${command.configKey}: no follower ${read.name} to remove`);
          return;
        }
        await this.forget(known, `removed by ${command.issuedBy}`);
        this.followers.delete(read.name);
        return this.decide({ follower: known, kind: 'REMOVE', instrument: anyInstrument(known), leaderEvent: null, leaderInstrument: null, eventId, reason: `removed: ${by}` });
      case 'configure':
        return this.configure(read.follower, known, eventId, by);
    }
  }

  /** Adds or replaces a follower: its copy state is kept while it copies the same leader into the same account, else started afresh. */
  private async configure(follower: FollowerConfig, known: FollowerConfig | undefined, eventId: string, by: string): Promise<void> {
    let how = 'added';
    if (known) {
      const kept = sameAccounts(known, follower);
      if (kept) {
        for (const copies of this.resting.values()) for (const copy of copies) if (copy.follower.name === follower.name) copy.follower = follower;
      } else {
        await this.forget(known, 'replaced by a configuration of other accounts');
      }
      how = kept ? 'replaced; its targets, residuals and resting copies kept' : 'replaced with other accounts; its copy state starts afresh';
      if (this.options.followers.includes(known)) this.options.logger.warn({ follower: follower.name }, `${follower.name}: a control command replaces the config file's configuration (the API's wins)`);
    }
    this.followers.set(follower.name, follower);
    await this.decide({ follower, kind: 'CONFIGURE', instrument: anyInstrument(follower), leaderEvent: null, leaderInstrument: null, eventId, reason: `${how}: ${by}`, configuration: follower });
    if (!this.replaying) await this.askLeverage(follower);
  }

  /** A configuration the synchronizer will not run: nothing of it applies; audited with the reason, and logged. */
  private async refuse(read: Extract<FollowerCommand, { kind: 'refuse' }>, known: FollowerConfig | undefined, eventId: string, by: string): Promise<void> {
    const reason = `refused (${by}): ${read.reason}${known ? '; the follower runs as before' : ''}`;
    this.options.logger.warn({ follower: read.name }, `${read.name}: ${reason}`);
    const raw = (typeof read.raw === 'object' && read.raw !== null ? read.raw : {}) as Record<string, unknown>;
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const leader = (typeof raw.leader === 'object' && raw.leader !== null ? raw.leader : {}) as Record<string, unknown>;
    // Said of the follower as it runs, or, for a new name, of the accounts the refused configuration named ('' where it named none).
    const about = known ?? { name: read.name, leader: { venue: text(leader.venue), account: text(leader.account) }, portfolio: text(raw.portfolio), venue: text(raw.venue), account: text(raw.account), instruments: [] };
    await this.decide({ follower: about, kind: 'REFUSE', instrument: anyInstrument(about), leaderEvent: null, leaderInstrument: null, eventId, reason });
  }

  /** Drops a follower's copy state: its targets and residuals, and its resting copies, cancelled (their leader orders no longer drive them). */
  private async forget(follower: FollowerConfig, why: string): Promise<void> {
    for (const key of [...this.ledgers.keys()]) if (key.startsWith(`${follower.name}|`)) this.ledgers.delete(key);
    for (const key of [...this.lastSkip.keys()]) if (key.startsWith(`${follower.name}|`)) this.lastSkip.delete(key);
    for (const [key, copies] of this.resting) {
      const left = copies.filter((copy) => copy.follower.name !== follower.name);
      for (const resting of copies.filter((copy) => !left.includes(copy))) {
        await this.cancelResting(resting, 'MIRROR', `the follower was ${why}`, `sync:${follower.name}:forget:${resting.intentId}`, key);
      }
      if (left.length > 0) this.resting.set(key, left);
      else this.resting.delete(key);
    }
  }

  /** Asks the follower account's connector for the follower's leverage on each of its instruments, where the account was last asked for another. */
  private async askLeverage(follower: FollowerConfig): Promise<void> {
    if (follower.leverage === null) return;
    for (const { follower: instrument } of follower.instruments) {
      const key = `${follower.venue}|${follower.account}|${instrument}`;
      const value = String(follower.leverage);
      if (this.leverageAsked.get(key) === value) continue;
      this.leverageAsked.set(key, value);
      const command = leverageCommand(follower, instrument, this.clock());
      await this.options.messages.publish(TOPICS.controlCommands, [command]);
      const reason = `asked ${follower.venue}|${follower.account}'s connector to set leverage ${value} on ${instrument} (its outcome: ops.alerts LEVERAGE_SET or LEVERAGE_REFUSED)`;
      await this.decide({ follower, kind: 'LEVERAGE', instrument, leaderEvent: null, leaderInstrument: null, eventId: `sync:${follower.name}:leverage:${command.eventId}`, reason });
    }
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
    return [...this.followers.values()].filter(({ leader }) => leader.venue === venue && leader.account === account);
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
    follower: DecisionSubject;
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
    /** CONFIGURE: the configuration the follower now runs. */
    configuration?: FollowerConfig;
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
      configuration: decision.configuration ? JSON.stringify(formatFollower(decision.configuration)) : null,
    };
    this.options.logger.info({ follower: follower.name, kind: record.kind, instrument: record.instrument, quantity: record.quantity, intentId: record.intentId }, `${follower.name}: ${record.kind} ${record.reason}`);
    await this.options.messages.publish(TOPICS.syncDecisions, [record]);
  }

  private *drifts() {
    for (const [key, ledger] of this.ledgers) {
      const [name, instrument] = key.split('|') as [string, string];
      const follower = this.followers.get(name);
      if (!follower) continue;
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
