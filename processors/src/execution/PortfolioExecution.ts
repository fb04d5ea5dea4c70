import {
  Decimal,
  formatDecimal,
  InvalidInputError,
  isTerminalOrderState,
  parseDecimal,
  toIntentOrder,
  type Alert,
  type ControlCommand,
  type Fill,
  type Intent,
  type IntentState,
  type IntentStatus,
  type OrderCommand,
  type OrderEvent,
  type RiskDecision,
  type RouteDecision,
  type Side,
  whyNotExecuted,
  FINAL_INTENT_STATES,
} from '@crossvenue/schemas';
import { type Logger } from '@crossvenue/runtime';
import { applyControl, applyIntent, emptyDesiredState, flattenIntents, isHalted, type DesiredIntent, type DesiredState } from '../intents/DesiredState.ts';
import { applyFillMessage, applyOrderEventMessage, countRoute, EMPTY_EXECUTION, type ExecutionState } from './ExecutionState.ts';
import {
  amendActions,
  converge,
  DEFAULT_REROUTE_POLICY,
  placeCommand,
  recordActions,
  routableRemainder,
  routingNeed,
  venuesToAvoid,
  type Action,
  type ReroutePolicy,
} from '../intents/converge.ts';
import type { RiskEngine } from '../risk/RiskEngine.ts';
import { drawdownAlert } from './drawdownAlert.ts';
import { killSwitchAlert } from './killSwitchAlert.ts';
import { expireEventId, placeCommandId, rerouteEventId, routeDecisionId, routedIntentEvent } from './routeDecisionId.ts';
import { EarlierRun } from './EarlierRun.ts';
import { HeldForLeg } from './HeldForLeg.ts';
import { captureState, restoreState } from './stateSnapshot.ts';
import { intentStatus, intentStatusView, type IntentRefusal, type IntentStatusView } from '../intents/intentStatus.ts';
import { IntentStatusLog } from './IntentStatusLog.ts';
import { RetiredIntents } from './RetiredIntents.ts';
import type { ChildProgress, ParentIntent, ParentKind } from '../intents/ChildIntents.ts';
import { IcebergOrders } from '../intents/IcebergOrders.ts';
import { TargetPositions } from '../intents/TargetPositions.ts';
import { TwapOrders } from '../intents/TwapOrders.ts';
import { triggerCrossed } from '../intents/trigger.ts';

/** How long an EXPIRE asked for and not answered waits before it is asked again. */
const EXPIRY_ASK_AGAIN_MS = 5_000;

/** What one input made the execution side decide: commands to send, every risk verdict, intents for the router, alerts for people. */
export interface ExecutionOutput {
  commands: OrderCommand[];
  riskDecisions: RiskDecision[];
  /** Re-route requests and the orders of a flatten: the router routes them like any intent. */
  intents: Intent[];
  /** A kill switch engaged or released. */
  alerts: Alert[];
  /** Each change of an intent's status (IntentStatusLog), once caught up. */
  statuses: IntentStatus[];
}

export interface PortfolioExecutionOptions {
  risk: RiskEngine;
  logger: Logger;
  clock: () => number;
  newId: () => string;
  /** What happens to quantity a leg left unfilled; DEFAULT_REROUTE_POLICY unless given. */
  policy?: ReroutePolicy;
  /**
   * The worker re-reads its inputs from the beginning before it is live (ExecutionWorker): until
   * caughtUp(), legs are placed and re-routes asked for only then, once every leg sent is known.
   */
  replaying?: boolean;
}

/**
 * Risk and execution state of the portfolios one worker owns, folded from its inputs in the order
 * it reads them: the intent model (desired state, legs sent and what venues said of them) and the
 * risk engine (positions, open orders, kill switches). Pure apart from the injected clock and ids.
 *
 * - An intent updates the desired state; a CANCEL or MODIFY cancels the legs it no longer wants
 *   (converge decides which; cancels are never blocked by risk).
 * - A route decision for the intent's current terms becomes PLACE commands: legs are numbered on
 *   from the intent's last leg (so a client order id is never reused), the routed quantity is
 *   capped at what the intent may still fill (never over-fills), and each command passes
 *   RiskEngine.check first, in order, so an approved leg counts against the next one's limits.
 * - Order events and fills go to both the legs and the risk engine. When a leg ends with quantity
 *   unfilled that may be routed again (rejected, lost, cancelled by the venue or by us), a REROUTE
 *   intent asks the router for the remainder, avoiding the venues that failed it; one at a time
 *   per intent, within the re-route policy. The execution side holds no books, and the request
 *   travels through the intents topic so that a replay re-reads the same decisions.
 * - A kill switch applies from the next command on, and one that cancels open orders sends those
 *   cancels; either way an alert says so. CANCEL_ALL and FLATTEN halt their scope (legs there are cancelled, the router sends
 *   nothing there) until RESUME; a FLATTEN also sends one reduce-only market intent per position.
 * - After each input, once caught up, the status of each intent it concerned (intentStatusView) is
 *   published if it changed (IntentStatusLog): an intent message is reported when read (ACCEPTED,
 *   or REJECTED when refused) and again once its decision is placed. While replaying nothing is
 *   reported; caughtUp() reports every intent whose status differs from the last one published.
 * - An intent whose final status is published and that can change no more is retired
 *   (retireEnded, RetiredIntents): its state is dropped, so the state held and snapshotted grows
 *   with the intents in flight, not with every intent ever read.
 * - An intent with a trigger (stop, take-profit) is held armed: its route decisions place nothing
 *   until a book's mid crosses the trigger price (book()), which asks the router for its whole
 *   amount with a REROUTE (the fire): an input, so a replay meets it where it happened, and
 *   the armed intent survives restarts as any intent does. The venues see plain orders.
 * - Parent intents trade through child intents of the execution side's own, asked for through the
 *   router like a re-route, one at a time (ChildIntents, holdParents): a TARGET_POSITION
 *   (TargetPositions) trades the difference between the target and the risk engine's position
 *   after every input about its instrument; a TWAP (TwapOrders) trades its schedule's slices; an
 *   iceberg (IcebergOrders) rests one slice of its visible quantity at a time.
 */
export class PortfolioExecution {
  private desired: DesiredState = emptyDesiredState();
  private actual: ExecutionState = new Map();
  /** The event ids each intent's messages left in termsOf and versionOf: what its retirement drops there. */
  private readonly messagesOf = new Map<string, string[]>();
  /** Intents whose last status computed was final: what retireEnded looks at. */
  private readonly maybeEnded = new Set<string>();
  private readonly retired = new RetiredIntents();
  private readonly targets = new TargetPositions();
  private readonly twaps = new TwapOrders();
  private readonly icebergs = new IcebergOrders();
  /** The event id of the intent message each intent's current terms came from. */
  private readonly currentTerms = new Map<string, string>();
  /** Intent messages read (their decisions): the router answers a message again after a restart. */
  private readonly seenIntentEvents = new Set<string>();
  /** Per routable intent message (PLACE, MODIFY, REROUTE), the event id of the terms it routes. */
  private readonly termsOf = new Map<string, string>();
  /** Intents whose trigger fired (their fire REROUTE was read): they route as any intent from then on. */
  private readonly fired = new Set<string>();
  /** Active intents with a trigger that has not fired: what book() looks through. */
  private readonly armed = new Set<string>();
  /** Intents with a re-route asked for and not answered yet. */
  private readonly rerouting = new Set<string>();
  /** Active DAY and GTD intents, by when they end: what expire() looks through. */
  private readonly expiring = new Map<string, number>();
  /** When an EXPIRE was last asked for each intent, until it is answered. */
  private readonly expiryAsked = new Map<string, number>();
  /** Until caughtUp(): legs an earlier run sent may not be adopted yet, so nothing is placed or asked for. */
  private replaying: boolean;
  /** Decisions to place once caught up, by the intent message they route. */
  private readonly toPlace = new Map<string, RouteDecision>();
  /** Intents an event read live while replaying may need re-routed, with what that event was. */
  private readonly toAsk = new Map<string, string>();
  /** The intent version of the terms each intent message carried. */
  private readonly versionOf = new Map<string, number>();
  /** What an earlier run decided, read back at start. */
  readonly earlierRun = new EarlierRun();
  /** The last status published of each intent: what a change is measured against (read back at start too). */
  readonly statusLog = new IntentStatusLog();
  /** Per intent, why the last routing of its terms placed nothing; cleared when one places a leg. */
  private readonly refusals = new Map<string, IntentRefusal>();
  /** Intents refused on arrival (their PLACE broke a rule): never in the desired state, REJECTED. */
  private readonly rejectedIntents = new Map<string, IntentStatusView>();
  /** Statuses of inputs that threw (dead-lettered) and so returned no output; takePendingStatuses() hands them out. */
  private pendingStatuses: IntentStatus[] = [];
  /** The scopes below their drawdown stop at the last mark. */
  private readonly belowDrawdown = new Set<string>();
  private readonly held: HeldForLeg;
  private readonly policy: ReroutePolicy;

  constructor(private readonly options: PortfolioExecutionOptions) {
    this.policy = options.policy ?? DEFAULT_REROUTE_POLICY;
    this.replaying = options.replaying ?? false;
    this.held = new HeldForLeg(options.logger);
  }

  /**
   * The intent message a route decision carries, then the legs it routed. `live`: false while
   * re-reading a decision an earlier run already acted on. A decision an earlier run decided
   * (earlierRun) adopts the legs it sent, if any, and places nothing. A re-read that is not live
   * (the earlier run published everything it decided for it, and sent no PLACE) places nothing:
   * those legs were never sent. A second decision for an intent message already read (a router
   * that answered it again after a restart) is dropped: the first one was acted on.
   */
  routeDecision(decision: RouteDecision, live = true): ExecutionOutput {
    const message = decision.intent;
    const where = `route decision ${decision.eventId} of intent ${decision.intentId}`;
    if (message === null) throw new InvalidInputError(`${where}: carries no intent message (made by a router older than this execution worker)`);
    if (decision.eventId !== routeDecisionId(message.eventId) || decision.intentId !== message.intentId) {
      throw new InvalidInputError(`${where}: its id does not name the intent message it carries (${message.eventId} of ${message.intentId})`);
    }
    if (this.seenIntentEvents.has(message.eventId)) {
      this.options.logger.info({ intentId: decision.intentId }, `${where}: a repeat of a decision already read; dropped`);
      return emptyOutput();
    }
    if (this.retired.drops(message)) {
      this.seenIntentEvents.add(message.eventId);
      return this.droppedForRetired(decision.intentId, decision.eventId, this.earlierRun.take(decision.eventId)?.sent ?? []);
    }
    const parents = this.parentKinds().find((kind) => kind.takes(message));
    if (parents) return this.parentMessage(message, live, () => this.holdParents(parents, [parents.apply(message, decision.decidedAtMs)], live));
    const current = this.desired.intents.get(message.intentId);
    if (message.action === 'REROUTE' && current !== undefined && current.status !== 'ACTIVE') {
      // A routine race, not bad input: the intent was canceled (or expired) while its re-route went round the router.
      this.seenIntentEvents.add(message.eventId);
      this.rerouting.delete(message.intentId);
      this.options.logger.info({ intentId: decision.intentId }, `${where}: the intent was canceled since the re-route was asked; dropped`);
      return emptyOutput();
    }
    let output: ExecutionOutput;
    try {
      output = this.intent(message, decision.conversion);
    } catch (error) {
      this.refuseOnArrival(message, error, live);
      throw error;
    }
    output.statuses.push(...this.statusChanges([message.intentId], live));
    this.parentKinds().some((kind) => kind.children.childPlaced(message));
    if (message.action !== 'CANCEL' && message.action !== 'EXPIRE') {
      mergeOutput(output, this.decide(decision, message.eventId, live));
      output.statuses.push(...this.statusChanges([message.intentId], live));
    }
    mergeOutput(output, this.holdParentsOn(message.portfolio, message.instrument, live));
    return output;
  }

  /** A PLACE, MODIFY or CANCEL of a parent intent (a target, a TWAP): `hold` folds it and trades for it at once. */
  private parentMessage(message: Intent, live: boolean, hold: () => ExecutionOutput): ExecutionOutput {
    let output: ExecutionOutput;
    try {
      // The rule the gateway applies up front, as applyIntent applies it to orders.
      const notExecuted = message.action === 'PLACE' || message.action === 'MODIFY' ? whyNotExecuted(message) : null;
      if (notExecuted) throw new InvalidInputError(`intent ${message.intentId}: ${notExecuted.field}: ${notExecuted.reason}`);
      output = hold();
    } catch (error) {
      this.refuseOnArrival(message, error, live);
      throw error;
    }
    this.seenIntentEvents.add(message.eventId);
    return output;
  }

  /** The kinds of parent intents, each traded through child intents of its own. */
  private parentKinds(): Array<ParentKind<ParentIntent>> {
    return [this.targets, this.twaps, this.icebergs] as Array<ParentKind<ParentIntent>>;
  }

  /** Every parent intent trading this instrument for this portfolio, after an input about it. */
  private holdParentsOn(portfolio: string, instrument: string, live: boolean): ExecutionOutput {
    const output = emptyOutput();
    for (const kind of this.parentKinds()) mergeOutput(output, this.holdParents(kind, kind.children.on(portfolio, instrument), live));
    return output;
  }

  private holdAllParents(): ExecutionOutput {
    const output = emptyOutput();
    for (const kind of this.parentKinds()) mergeOutput(output, this.holdParents(kind, kind.children.all(), true));
    return output;
  }

  /** The position a parent measures: the risk engine's, in its account (or all) on its venues (or any). */
  private positionOf(parent: ParentIntent): () => Decimal {
    return () => this.options.risk.netPosition(parent.portfolio, parent.instrument, parent.account, parent.venues);
  }

  /**
   * For each parent: folds its child's progress (once the child has ended, what it executed is the
   * parent's), asks for its next child when it needs one (live only: a replay rebuilds the state,
   * the live run asks), and reports its status.
   */
  private holdParents(kind: ParentKind<ParentIntent>, parents: Iterable<ParentIntent>, live: boolean): ExecutionOutput {
    const output = emptyOutput();
    const nowMs = this.options.clock();
    for (const parent of parents) {
      let child = this.childProgress(parent);
      if (child !== undefined && kind.children.childProgress(parent, child, nowMs)) child = undefined;
      if (live && !this.replaying) {
        const next = kind.nextChild(parent, child, nowMs, this.positionOf(parent));
        if (next !== null) output.intents.push(next);
      }
      if (this.replaying || !live) continue;
      const change = this.statusLog.change(kind.view(parent, child, this.positionOf(parent)), nowMs);
      if (change) output.statuses.push(change);
    }
    return output;
  }

  /** How the parent's working child stands: open while its status is not final (a final one has every fill held). */
  private childProgress(parent: ParentIntent): ChildProgress | undefined {
    const intent = parent.child === null ? undefined : this.desired.intents.get(parent.child);
    if (intent === undefined) return undefined;
    const execution = this.actual.get(intent.intentId) ?? EMPTY_EXECUTION;
    const refusal = this.refusals.get(intent.intentId);
    const view = intentStatusView(intent, execution, this.policy, refusal);
    const rollUp = intentStatus(intent, execution, this.policy);
    return { open: !FINAL_INTENT_STATES.has(view.state), requested: intent.order.amount, rollUp, refusal: view.rule === null ? null : { rule: view.rule, reason: view.reason ?? '' } };
  }

  /**
   * A message about a retired intent that changes nothing (RetiredIntents). Legs an earlier run
   * sent for this decision (it read it before the intent ended, in another order) are counted in
   * risk, where their order events take them out again; they are not tracked as legs.
   */
  private droppedForRetired(intentId: string, decisionId: string, sent: OrderCommand[]): ExecutionOutput {
    const where = `route decision ${decisionId} of intent ${intentId}`;
    for (const command of sent) this.options.risk.adopt(command);
    if (sent.length > 0) this.options.logger.warn({ intentId, legs: sent.map((command) => command.clientOrderId) }, `${where}: the intent has ended and was retired; ${sent.length} legs an earlier run sent for it are counted in risk only`);
    else this.options.logger.info({ intentId }, `${where}: the intent has ended (retired); dropped`);
    return emptyOutput();
  }

  /**
   * A PLACE refused on arrival (whyNotExecuted, or terms that break a rule) is REJECTED with the
   * rule and why; the decision that carried it is still dead-lettered by the caller. A refused
   * PLACE of an intent that exists, or a refused MODIFY, leaves that intent's status alone.
   */
  private refuseOnArrival(message: Intent, error: unknown, live: boolean): void {
    const { intentId } = message;
    if (!(error instanceof InvalidInputError) || message.action !== 'PLACE' || this.desired.intents.has(intentId) || this.parentOf(intentId) !== undefined || this.retired.has(intentId)) return;
    const terms = arrivalTerms(message);
    if (terms === null) return;
    const notExecuted = whyNotExecuted(message);
    this.rejectedIntents.set(intentId, {
      intentId,
      portfolio: message.portfolio,
      instrument: message.instrument,
      side: terms.side,
      source: message.source,
      state: 'REJECTED',
      rule: notExecuted ? `not_executed:${notExecuted.field}` : 'invalid_intent',
      reason: notExecuted?.reason ?? error.message,
      requestedQuantity: terms.requested,
      filledQuantity: '0',
      leavesQuantity: '0',
      algo: null,
      averagePrice: null,
      fees: [],
    });
    this.pendingStatuses.push(...this.statusChanges([intentId], live));
  }

  /** The statuses of inputs that were refused with an error (their output was lost with it), once. */
  takePendingStatuses(): IntentStatus[] {
    const pending = this.pendingStatuses;
    this.pendingStatuses = [];
    return pending;
  }

  private intent(message: Intent, conversion: RouteDecision['conversion']): ExecutionOutput {
    if (message.action === 'MODIFY' && this.isDone(message.intentId)) {
      // Refused as RetiredIntents refuses it once the intent is retired: the answer does not depend on when that happened.
      throw new InvalidInputError(`intent ${message.intentId}: MODIFY of an intent that is done`);
    }
    const before = this.desired.intents.get(message.intentId);
    this.desired = applyIntent(this.desired, message, conversion);
    this.seenIntentEvents.add(message.eventId);
    if (message.action === 'REROUTE') {
      this.termsOf.set(message.eventId, message.reroutes ?? '');
      // The first routing of an armed intent is its fire; one for terms a MODIFY replaced is void.
      if (this.armed.has(message.intentId) && message.reroutes === this.currentTerms.get(message.intentId)) this.fire(message.intentId);
    } else if (message.action === 'PLACE' || message.action === 'MODIFY') {
      this.currentTerms.set(message.intentId, message.eventId);
      this.termsOf.set(message.eventId, message.eventId);
    }
    const desired = this.desired.intents.get(message.intentId);
    if (desired !== undefined) this.versionOf.set(message.eventId, desired.version);
    const messages = this.messagesOf.get(message.intentId) ?? [];
    messages.push(message.eventId);
    this.messagesOf.set(message.intentId, messages);
    this.expiryAsked.delete(message.intentId);
    if (desired?.status === 'ACTIVE' && desired.expiresAtMs !== null) this.expiring.set(message.intentId, desired.expiresAtMs);
    else this.expiring.delete(message.intentId);
    if (desired?.status === 'ACTIVE' && desired.order.trigger !== null && !this.fired.has(message.intentId)) this.armed.add(message.intentId);
    else this.armed.delete(message.intentId);
    if (message.action === 'REROUTE') return emptyOutput();
    // A new price amends the resting legs (recorded first, so that they are not also withdrawn).
    const context = { newId: this.options.newId, nowMs: this.options.clock() };
    const output = message.action === 'MODIFY' && before && desired ? this.send(amendActions(before, desired, this.actual.get(message.intentId) ?? EMPTY_EXECUTION, context)) : emptyOutput();
    mergeOutput(output, this.send(this.withdrawn([message.intentId])));
    return output;
  }

  /**
   * `live`: this run read the decision live, so no earlier run placed it. While replaying, what to
   * place waits for caughtUp(): later decisions' legs, which an earlier run may have sent, are not
   * adopted yet, and the intent's terms may still change.
   */
  private decide(decision: RouteDecision, source: string, live: boolean): ExecutionOutput {
    // The answer to a re-route: the next may be asked.
    if (this.termsOf.get(source) !== source) this.rerouting.delete(decision.intentId);
    const earlier = this.earlierRun.take(decision.eventId);
    if (earlier) {
      if (earlier.sent.length > 0) this.refusals.delete(decision.intentId);
      else if (earlier.refusal !== null) this.refused(decision.intentId, source, { rule: earlier.refusal.rule, reason: earlier.refusal.message });
      return this.adopt(decision.intentId, source, earlier.sent, live);
    }
    if (live && this.replaying) {
      this.toPlace.set(source, decision);
      return emptyOutput();
    }
    return this.place(decision, source, live);
  }

  private place(decision: RouteDecision, source: string, live: boolean): ExecutionOutput {
    const where = `route decision ${decision.eventId} of intent ${decision.intentId}`;
    const intent = this.desired.intents.get(decision.intentId);
    if (!intent || intent.status !== 'ACTIVE' || this.currentTerms.get(decision.intentId) !== this.termsOf.get(source)) {
      this.options.logger.info({ intentId: decision.intentId }, `${where}: not placed, the intent was canceled, expired or modified since`);
      return emptyOutput();
    }
    if (intent.expiresAtMs !== null && intent.expiresAtMs <= decision.decidedAtMs) {
      // Its EXPIRE is on its way (expire()): nothing is sent that it would only cancel.
      this.options.logger.info({ intentId: decision.intentId }, `${where}: not placed, the intent's time was up when it was routed`);
      return emptyOutput();
    }
    if (decision.arrivalMid !== null) this.options.risk.setMark(decision.instrument, parseDecimal(decision.arrivalMid, `${where} arrivalMid`));
    if (this.armed.has(intent.intentId)) {
      // Waits for its trigger; a market already past it when it arrives fires it now.
      this.options.logger.info({ intentId: intent.intentId }, `${where}: not placed, armed until its trigger fires`);
      const mid = decision.arrivalMid === null ? null : new Decimal(decision.arrivalMid);
      return live && !this.replaying && mid !== null && triggerCrossed(intent.order, mid) ? this.askFire(intent, mid) : emptyOutput();
    }
    if (!live) {
      // Below the boundary with nothing read back: the run that read it placed nothing, and no risk refused a leg.
      this.placedNothing(intent, decision);
      this.actual = countRoute(this.actual, intent.intentId, intent.version);
      return emptyOutput();
    }
    const output = this.send(this.placements(intent, decision, where), { intent, askedAtMs: decision.decidedAtMs });
    const refusal = output.riskDecisions.find((verdict) => verdict.decision === 'REJECTED');
    if (output.commands.some((command) => command.type === 'PLACE')) this.refusals.delete(intent.intentId);
    else if (refusal) this.refusals.set(intent.intentId, { version: intent.version, rule: refusal.rule, reason: refusal.message });
    else this.placedNothing(intent, decision);
    return output;
  }

  /** Records why a routing placed nothing, risk aside: no route, or no leg could be placed (logged by placements), when no leg works. */
  private placedNothing(intent: DesiredIntent, decision: RouteDecision): void {
    const working = (this.actual.get(intent.intentId) ?? EMPTY_EXECUTION).legs.some((leg) => !isTerminalOrderState(leg.order.state));
    if (working) return;
    const why =
      decision.legs.length === 0
        ? { rule: 'no_route', reason: `no venue could take it${decision.candidates.length > 0 ? `: ${decision.candidates.map(({ venue, reason }) => `${venue} ${reason}`).join('; ')}` : ''}` }
        : { rule: 'not_placed', reason: 'no leg of the route could be placed (a cancel-all in force, or more than the intent may still fill)' };
    this.refusals.set(intent.intentId, { version: intent.version, ...why });
  }

  /** Records a risk refusal an earlier run published for a decision of these terms. */
  private refused(intentId: string, source: string, why: { rule: string; reason: string }): void {
    const version = this.versionOf.get(this.termsOf.get(source) ?? source);
    if (version !== undefined) this.refusals.set(intentId, { version, ...why });
  }

  /**
   * What the clock asks for. EXPIRE messages for the active DAY and GTD intents whose time is up. They go round the
   * router like any intent message, so the expiry is an input: a replay folds it where it happened.
   * One unanswered is asked again after EXPIRY_ASK_AGAIN_MS (its publish may have failed); the
   * answer to a repeat is dropped (the same event id). And the children of targets whose wait
   * after a refusal is over, or whose child was asked for and not read back (TargetPositions).
   * Nothing while replaying: the live run asks.
   */
  expire(): ExecutionOutput {
    if (this.replaying) return emptyOutput();
    const output = this.holdAllParents();
    const nowMs = this.options.clock();
    for (const [intentId, expiresAtMs] of this.expiring) {
      if (expiresAtMs > nowMs) continue;
      const intent = this.desired.intents.get(intentId);
      if (!intent || intent.status !== 'ACTIVE' || intentStatus(intent, this.actual.get(intentId) ?? EMPTY_EXECUTION, this.policy).done) {
        this.expiring.delete(intentId);
        continue;
      }
      const asked = this.expiryAsked.get(intentId);
      if (asked !== undefined && nowMs - asked < EXPIRY_ASK_AGAIN_MS) continue;
      this.expiryAsked.set(intentId, nowMs);
      output.intents.push({
        ...ownMessage(intent, nowMs),
        eventId: expireEventId(intentId, intent.version),
        action: 'EXPIRE',
        requestedBy: `execution: ${intent.order.timeInForce} time up at ${new Date(expiresAtMs).toISOString()}`,
      });
    }
    return output;
  }

  /**
   * A book's mid becomes the instrument's mark: risk values exposure and drawdown at it from now
   * on. Alerts for each scope the move took below its drawdown stop, or back above it; an armed
   * stop or take-profit it crosses fires.
   */
  mark(instrument: string, mid: Decimal): ExecutionOutput {
    const output = emptyOutput();
    // Books are re-published unchanged as a heartbeat: only a move can change a drawdown or fire a trigger.
    if (!this.options.risk.setMark(instrument, mid)) return output;
    if (!this.replaying) {
      for (const intentId of this.armed) {
        const intent = this.desired.intents.get(intentId);
        // Withdrawn meanwhile (a global cancel-all): nothing to fire.
        if (intent?.status !== 'ACTIVE') this.armed.delete(intentId);
        else if (intent.order.instrument === instrument && triggerCrossed(intent.order, mid)) mergeOutput(output, this.askFire(intent, mid));
      }
    }
    const nowMs = this.options.clock();
    for (const drawdown of this.options.risk.drawdowns()) {
      if (drawdown.below === this.belowDrawdown.has(drawdown.scope)) continue;
      if (drawdown.below) this.belowDrawdown.add(drawdown.scope);
      else this.belowDrawdown.delete(drawdown.scope);
      output.alerts.push(drawdownAlert(drawdown, this.options.newId(), nowMs));
    }
    return output;
  }

  /** `live`: false while re-reading an event an earlier run already acted on. */
  orderEvent(event: OrderEvent, live = true): ExecutionOutput {
    if (this.ofRetired(event.intentId, `${event.venue} ${event.event} of ${event.clientOrderId}`)) {
      this.options.risk.applyOrderEvent(event);
      return emptyOutput();
    }
    if (this.waitForLeg(event.intentId, event.clientOrderId, event, live)) return emptyOutput();
    this.options.risk.applyOrderEvent(event);
    const step = applyOrderEventMessage(this.actual, event);
    this.actual = step.state;
    if (step.error !== null) this.options.logger.warn({ eventId: event.eventId }, `order event not applied: ${String(step.error)}`);
    const output = this.rerouteIfNeeded(event.intentId, `${event.venue} ${event.event} of ${event.clientOrderId}`, live);
    // An amend refused leaves the leg at the old price: cancelled now, what it leaves is routed at the new one.
    if (event.event === 'AMEND_REJECTED' && live && !this.replaying) mergeOutput(output, this.send(this.withdrawn([event.intentId])));
    output.statuses.push(...this.statusChanges([event.intentId], live));
    mergeOutput(output, this.holdParentsOn(event.portfolio, event.instrument, live));
    return output;
  }

  fill(fill: Fill, live = true, held = false): ExecutionOutput {
    // The position counts a fill at once; only its leg's share waits for the leg.
    const counted = held ? null : this.options.risk.applyFill(fill);
    if (counted?.outcome === 'applied' && counted.beforeWindow) {
      this.options.logger.warn({ eventId: fill.eventId }, `fill ${fill.venue}/${fill.account}/${fill.venueTradeId} came after its position's fill window: counted once, on top of the fills folded before it (cost basis may differ from the canonical order)`);
    }
    // The position moved: a target on it trades the new difference (a fill from elsewhere, a correction).
    const parents = () => this.holdParentsOn(fill.portfolio, fill.instrument, live);
    if (fill.intentId === null || this.ofRetired(fill.intentId, `${fill.venue} fill ${fill.venueTradeId}`) || this.waitForLeg(fill.intentId, fill.clientOrderId, fill, live)) return parents();
    const step = applyFillMessage(this.actual, fill);
    this.actual = step.state;
    if (step.error !== null) this.options.logger.warn({ eventId: fill.eventId }, `fill not applied to a leg: ${String(step.error)}`);
    const output = this.rerouteIfNeeded(fill.intentId, `${fill.venue} fill ${fill.venueTradeId}`, live);
    output.statuses.push(...this.statusChanges([fill.intentId], live));
    mergeOutput(output, parents());
    return output;
  }

  /**
   * After catching up: places the decisions read live meanwhile, cancels every live leg the desired
   * state no longer wants and no cancel was asked for, and asks the re-routes that events read live
   * need. Re-reading the topics side by side can read a cancel-all (control) before the decision
   * whose legs it withdraws; this sends what that order hid (a cancel sent twice is harmless).
   * Reports each intent whose status differs from the last one published (read back): what a
   * crashed run derived and did not publish goes out now, and nothing it published goes out again.
   * Changes of inputs re-read live while catching up are reported together, as of the catch-up.
   */
  caughtUp(): ExecutionOutput {
    this.replaying = false;
    this.held.trim();
    const output = emptyOutput();
    const all = () => [...this.rejectedIntents.keys(), ...this.desired.intents.keys()];
    // What the replay folded first, then what waited for it: an intent read meanwhile is reported
    // ACCEPTED, then placed, as one read live is.
    output.statuses.push(...this.statusChanges(all(), true));
    for (const [source, decision] of this.toPlace) mergeOutput(output, this.place(decision, source, true));
    this.toPlace.clear();
    mergeOutput(output, this.send(this.withdrawn([...this.desired.intents.keys()])));
    for (const [intentId, what] of this.toAsk) mergeOutput(output, this.rerouteIfNeeded(intentId, what, true));
    this.toAsk.clear();
    output.statuses.push(...this.statusChanges(all(), true));
    mergeOutput(output, this.holdAllParents());
    return output;
  }

  /**
   * The folded state, risk included, as bytes (stateSnapshot.ts); taken once caught up, when
   * nothing waits to be placed or asked for.
   */
  snapshot(): Buffer {
    if (this.replaying) throw new Error('a snapshot is taken once caught up, not while replaying');
    this.retireEnded();
    return captureState([this, this.options.risk]);
  }

  /**
   * Takes the state of a snapshot, into a fresh instance built with the same options. It is
   * replaying again: what comes after the snapshot is read as after any start.
   */
  restore(snapshot: Buffer): void {
    restoreState([this, this.options.risk], snapshot);
    this.replaying = true;
  }

  control(command: ControlCommand): ExecutionOutput {
    const cancels = this.options.risk.applyControl(command);
    const output = this.send(cancels.map((cancel) => ({ kind: 'CANCEL', command: cancel, why: `${command.scope} kill switch: ${command.reason}` })));
    if (command.type === 'KILL_SWITCH' && command.engaged !== null) output.alerts.push(killSwitchAlert(command, this.options.clock()));
    if (command.type === 'CANCEL_ALL' && command.scope === 'GLOBAL') {
      // A kill switch withdraws every intent, parents too: nothing is asked for them any more.
      for (const kind of this.parentKinds()) kind.children.cancelAll();
      mergeOutput(output, this.holdAllParents());
    }
    const before = this.desired;
    this.desired = applyControl(this.desired, command);
    if (this.desired === before) return output;
    mergeOutput(output, this.send(this.withdrawn([...this.desired.intents.keys()])));
    output.intents.push(...flattenIntents(command, this.options.risk.positionsOn(command.venue ?? '')));
    // A global cancel-all cancels every intent at once (each replaced); a cancel asked for changes no status by itself.
    const changed = [...this.desired.intents].filter(([intentId, intent]) => before.intents.get(intentId) !== intent).map(([intentId]) => intentId);
    output.statuses.push(...this.statusChanges(changed, true));
    return output;
  }

  /**
   * The status of each of these intents that differs from the last one published, numbered on;
   * none for an input re-read (`live` false: the run that read it reported) or while replaying
   * (caughtUp() reports, against what was read back).
   */
  private statusChanges(intentIds: Iterable<string>, live: boolean): IntentStatus[] {
    if (this.replaying || !live) return [];
    const changes: IntentStatus[] = [];
    const nowMs = this.options.clock();
    for (const intentId of intentIds) {
      const intent = this.desired.intents.get(intentId);
      const view = intent ? intentStatusView(intent, this.actual.get(intentId) ?? EMPTY_EXECUTION, this.policy, this.refusals.get(intentId)) : this.rejectedIntents.get(intentId);
      const change = view && this.statusLog.change(view, nowMs);
      if (change) changes.push(change);
      if (intent && view && endsFor(intent, view)) this.maybeEnded.add(intentId);
    }
    return changes;
  }

  /** The cancels converge asks for on these intents' live legs (canceled, modified, halted); never new routes. */
  private withdrawn(intentIds: string[]): Action[] {
    const only = { ...this.desired, intents: new Map(intentIds.map((id) => [id, this.desired.intents.get(id)!])) };
    return converge(only, this.actual, { newId: this.options.newId, nowMs: this.options.clock() }).actions;
  }

  /**
   * Asks the router for an armed intent's whole amount: a REROUTE of its current terms, the fire.
   * Once, until answered (the same id if asked again after a restart, so a repeat is dropped).
   */
  private askFire(intent: DesiredIntent, mid: Decimal): ExecutionOutput {
    const output = emptyOutput();
    if (this.rerouting.has(intent.intentId)) return output;
    this.rerouting.add(intent.intentId);
    const terms = this.currentTerms.get(intent.intentId)!;
    const { trigger } = intent.order;
    output.intents.push({
      ...ownMessage(intent, this.options.clock()),
      eventId: rerouteEventId(terms, 1),
      action: 'REROUTE',
      order: { ...toIntentOrder(intent.order), amountType: 'BASE' },
      reroutes: terms,
      requestedBy: `execution: ${trigger!.type} at ${trigger!.triggerPrice.toFixed()} fired, mid ${mid.toFixed()}`,
    });
    return output;
  }

  /** The intent's trigger fired (its fire was read): from now on it routes as any intent. */
  private fire(intentId: string): void {
    this.armed.delete(intentId);
    this.fired.add(intentId);
  }

  /**
   * A REROUTE request for the quantity the intent's legs no longer cover, when `what` left some
   * that may be routed again. Never while the first routing of its terms or another re-route is
   * awaited: each answer caps what it places at the remainder of that moment, never more. The
   * request's id names the terms and the route it asks for, so a restarted run that asks again
   * what an earlier run asked (its answer not read yet) asks with the same id, and the second
   * answer is dropped as a repeat.
   */
  private rerouteIfNeeded(intentId: string, what: string, live: boolean): ExecutionOutput {
    const output = emptyOutput();
    // While replaying, the legs an earlier run sent are not all adopted yet: an event read live
    // asks once caught up; one read again was acted on by the run that read it.
    if (this.replaying) {
      if (live && !this.toAsk.has(intentId)) this.toAsk.set(intentId, what);
      return output;
    }
    const intent = this.desired.intents.get(intentId);
    if (!intent || this.rerouting.has(intentId)) return output;
    const need = routingNeed(intent, this.desired, this.actual, this.policy);
    if (need === null || 'waiting' in need || need.routes === 0) return output;
    this.rerouting.add(intentId);
    const remainder = formatDecimal(need.remainder);
    const terms = this.currentTerms.get(intentId)!;
    output.intents.push({
      ...ownMessage(intent, this.options.clock()),
      eventId: rerouteEventId(terms, need.routes + 1),
      action: 'REROUTE',
      order: { ...toIntentOrder(intent.order), amount: remainder, amountType: 'BASE' },
      reroutes: terms,
      avoidVenues: venuesToAvoid(intent, this.actual.get(intentId) ?? EMPTY_EXECUTION),
      requestedBy: `execution: re-route ${remainder} after ${what} (route ${need.routes + 1} of ${this.policy.maxRoutes})`,
    });
    return output;
  }

  /** Whether the intent, still held, has filled whole (DONE): its status was final, so it takes no MODIFY. */
  private isDone(intentId: string): boolean {
    const intent = this.desired.intents.get(intentId);
    if (intent?.status !== 'ACTIVE') return false;
    return intentStatusView(intent, this.actual.get(intentId) ?? EMPTY_EXECUTION, this.policy, this.refusals.get(intentId)).state === 'DONE';
  }

  /**
   * Retires the intents that ended since the last call (their last status computed was final) and
   * can change no more: called after each batch of inputs and before a snapshot, never while
   * replaying or while decisions wait for caughtUp() (legs an earlier run sent may not be adopted
   * yet). An intent is retired when its status is final for good (endsFor) and is the last one
   * published, every leg is terminal, every fill its legs filled is held (the status says so only
   * then), and no EXPIRE is awaited.
   * Intents refused on arrival are not retired: their status record's number must stay known, in
   * case their id is placed again.
   */
  retireEnded(): void {
    if (this.replaying || this.toPlace.size > 0 || this.toAsk.size > 0) return;
    for (const intentId of this.maybeEnded) {
      const intent = this.desired.intents.get(intentId);
      const execution = this.actual.get(intentId) ?? EMPTY_EXECUTION;
      const view = intent && intentStatusView(intent, execution, this.policy, this.refusals.get(intentId));
      const ended = view !== undefined && endsFor(intent!, view) && this.statusLog.isLast(view) && execution.legs.every((leg) => isTerminalOrderState(leg.order.state));
      // A parent's child stays until its parent has taken what it executed (holdParents).
      const heldByParent = this.parentKinds().some((kind) => kind.children.ofChild(intentId)?.child === intentId);
      if (ended && !this.expiryAsked.has(intentId) && !heldByParent) this.retire(intent!, view.state);
    }
    this.maybeEnded.clear();
    for (const kind of this.parentKinds()) {
      for (const parent of kind.children.all()) {
        const endedAs = kind.endedAs(parent);
        // Once its final status is the last one published: nothing about it is reported again.
        if (endedAs === null || !this.statusLog.isLast(kind.view(parent, undefined, this.positionOf(parent)))) continue;
        this.retired.add(parent.intentId, endedAs);
        kind.children.forget(parent);
        this.statusLog.forget(parent.intentId);
      }
    }
  }

  /** The parent intent (a target, a TWAP, an iceberg) of this id, if one is held. */
  private parentOf(intentId: string): ParentIntent | undefined {
    return this.parentKinds().find((kind) => kind.children.get(intentId) !== undefined)?.children.get(intentId);
  }

  private retire(intent: DesiredIntent, state: IntentState): void {
    const { intentId } = intent;
    // What a MODIFY of it is refused as: its desired status once canceled or expired, as applyIntent says.
    this.retired.add(intentId, intent.status === 'ACTIVE' ? state : intent.status);
    this.desired.intents.delete(intentId);
    this.actual.delete(intentId);
    for (const eventId of this.messagesOf.get(intentId) ?? []) {
      this.termsOf.delete(eventId);
      this.versionOf.delete(eventId);
    }
    for (const perIntent of [this.messagesOf, this.currentTerms, this.refusals, this.expiring, this.expiryAsked, this.fired, this.armed]) perIntent.delete(intentId);
    this.rerouting.delete(intentId);
    this.statusLog.forget(intentId);
  }

  /** True for a message about a leg of a retired intent: its leg part changes nothing (its fill went to risk), so it is not held. */
  private ofRetired(intentId: string, what: string): boolean {
    if (!this.retired.has(intentId)) return false;
    this.options.logger.info({ intentId }, `${what}: the intent has ended (retired); not applied to its legs`);
    return true;
  }

  /**
   * Holds a message about a leg this state does not know yet (a re-read can meet an order event
   * before the decision that placed its order); adopt applies it once the leg is there. True if held.
   */
  private waitForLeg(intentId: string, clientOrderId: string, message: OrderEvent | Fill, live: boolean): boolean {
    if (this.actual.get(intentId)?.legs.some((leg) => leg.order.clientOrderId === clientOrderId)) return false;
    this.held.hold(clientOrderId, { message, live }, this.replaying);
    return true;
  }

  /**
   * After a restore and the read-back of what was published since its snapshot: legs sent for
   * decisions the snapshot had already folded are adopted as sent. A run that started from an
   * older snapshot, or from the beginning, after this snapshot was taken (it landed late) read
   * those decisions again and may have placed what this state did not; adopted, their client
   * order ids are not used again and what they may fill is counted.
   */
  adoptSentForFolded(): ExecutionOutput {
    const output = emptyOutput();
    const folded = (decisionId: string) => this.seenIntentEvents.has(routedIntentEvent(decisionId) ?? '');
    for (const [decisionId, sent] of this.earlierRun.takeWhere(folded)) {
      if (this.retired.has(sent[0]?.intentId ?? '')) {
        mergeOutput(output, this.droppedForRetired(sent[0]!.intentId, decisionId, sent));
        continue;
      }
      const unknown = sent.filter((command) => !this.actual.get(command.intentId)?.legs.some((leg) => leg.order.clientOrderId === command.clientOrderId));
      if (unknown.length === 0) continue;
      this.options.logger.warn({ decisionId, legs: unknown.map((command) => command.clientOrderId) }, `route decision ${decisionId}: ${unknown.length} legs a later run sent are adopted into the restored state`);
      mergeOutput(output, this.adopt(unknown[0]!.intentId, routedIntentEvent(decisionId)!, unknown, false));
    }
    return output;
  }

  /** Takes the legs an earlier run sent for this decision (maybe none), then what was read about them before. */
  private adopt(intentId: string, source: string, sent: OrderCommand[], live: boolean): ExecutionOutput {
    const version = this.versionOf.get(this.termsOf.get(source) ?? source) ?? 0;
    for (const command of sent) this.options.risk.adopt(command);
    const actions = sent.map((command) => ({ kind: 'PLACE' as const, command, version }));
    this.actual = recordActions(this.actual, { actions, routed: [{ intentId, version }] });
    const output = emptyOutput();
    for (const command of sent) {
      for (const { message, live: read } of this.held.release(command.clientOrderId)) {
        mergeOutput(output, 'venueTradeId' in message ? this.fill(message, read, true) : this.orderEvent(message, read));
      }
    }
    // Withdrawn legs are cancelled now when this is live; a re-read leaves it to caughtUp.
    if (live) mergeOutput(output, this.send(this.withdrawn([intentId])));
    return output;
  }

  private placements(intent: DesiredIntent, decision: RouteDecision, where: string): Action[] {
    const execution = this.actual.get(intent.intentId) ?? EMPTY_EXECUTION;
    let remainder = routableRemainder(intent, execution);
    const actions: Action[] = [];
    for (const [i, leg] of decision.legs.entries()) {
      const quantity = parseDecimal(leg.quantity, `${where} legs[${i}].quantity`);
      if (leg.limitPrice === null || quantity.gt(remainder)) {
        this.options.logger.warn({ intentId: intent.intentId }, `${where}: leg ${leg.leg} not placed: ${leg.limitPrice === null ? 'no limit price' : `${leg.quantity} is more than the ${remainder.toString()} the intent may still fill`}`);
        continue;
      }
      if (!intent.flattens && isHalted(this.desired.halts, leg.venue, leg.account)) {
        this.options.logger.warn({ intentId: intent.intentId }, `${where}: leg ${leg.leg} not placed: cancel-all in force on ${leg.venue}/${leg.account}`);
        continue;
      }
      remainder = remainder.minus(quantity);
      const numbered = { leg: execution.nextLeg + i, venue: leg.venue, account: leg.account, quantity, limitPrice: new Decimal(leg.limitPrice) };
      const command = {
        ...placeCommand(intent, numbered, { newId: this.options.newId, nowMs: this.options.clock() }),
        commandId: placeCommandId(decision.eventId, numbered.leg),
        routeDecisionId: decision.eventId,
      };
      actions.push({ kind: 'PLACE', command, version: intent.version });
    }
    return actions;
  }

  /**
   * Checks each command in order and records what was approved: a rejected PLACE is not sent and
   * its quantity is not counted as working. A routing counts against the re-route policy even
   * when risk rejected every leg; its orders count in the rates when the router decided them.
   */
  private send(actions: Action[], routing?: { intent: DesiredIntent; askedAtMs: number }): ExecutionOutput {
    const output = emptyOutput();
    const approved: Action[] = [];
    const routed = routing?.intent;
    for (const action of actions) {
      const verdict = this.options.risk.check(action.command, routing?.askedAtMs);
      output.riskDecisions.push(verdict);
      if (verdict.decision !== 'APPROVED') continue;
      approved.push(action);
      output.commands.push(action.command);
    }
    this.actual = recordActions(this.actual, { actions: approved, routed: routed ? [{ intentId: routed.intentId, version: routed.version }] : [] });
    return output;
  }
}

export function emptyOutput(): ExecutionOutput {
  return { commands: [], riskDecisions: [], intents: [], alerts: [], statuses: [] };
}

export function mergeOutput(into: ExecutionOutput, more: ExecutionOutput): void {
  into.commands.push(...more.commands);
  into.riskDecisions.push(...more.riskDecisions);
  into.intents.push(...more.intents);
  into.alerts.push(...more.alerts);
  into.statuses.push(...more.statuses);
}

/**
 * Whether this final status ends the intent for good: it was canceled or expired (a MODIFY is
 * refused), or it filled whole (DONE). A refusal (REJECTED or EXPIRED while the intent is active:
 * risk, no route) is final for its client but not for the intent: a MODIFY retries it, and a run
 * that read the inputs in another order may have placed its legs.
 */
function endsFor(intent: DesiredIntent, view: IntentStatusView): boolean {
  return FINAL_INTENT_STATES.has(view.state) && (intent.status !== 'ACTIVE' || view.state === 'DONE');
}

/** The side and quantity a refused PLACE asked for, as its REJECTED status states them; null when it named neither. */
function arrivalTerms(message: Intent): { side: Side; requested: string } | null {
  if (message.order !== null) return { side: message.order.side, requested: decimalOrZero(message.order.amount) };
  if (message.targetQuantity === null) return null;
  // A target's side is the direction of the position it asked for.
  const short = message.targetQuantity.startsWith('-');
  return { side: short ? 'SELL' : 'BUY', requested: decimalOrZero(short ? message.targetQuantity.slice(1) : message.targetQuantity) };
}

/** An amount as a decimal string the wire takes, or 0 when it is not one (the intent that carried it was refused). */
function decimalOrZero(amount: string): string {
  try {
    return formatDecimal(parseDecimal(amount, 'amount'));
  } catch {
    return '0';
  }
}

/**
 * The fields an intent message of the execution side's own (a REROUTE, an EXPIRE) takes from the
 * intent it concerns; the caller gives its id, action, terms and why. What it routes stays where
 * the intent may trade, and a flatten's order may still trade on the venue its flatten halted.
 */
function ownMessage(intent: DesiredIntent, nowMs: number): Omit<Intent, 'eventId' | 'action' | 'requestedBy'> {
  return {
    intentId: intent.intentId,
    portfolio: intent.portfolio,
    account: intent.account,
    venues: [...intent.venues],
    instrument: intent.order.instrument,
    kind: 'ORDER',
    order: null,
    targetQuantity: null,
    algo: null,
    group: null,
    reroutes: null,
    avoidVenues: [],
    flattens: intent.flattens,
    source: 'EXECUTION',
    createdAtMs: nowMs,
  };
}
