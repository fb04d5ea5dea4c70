import {
  Decimal,
  formatDecimal,
  InvalidInputError,
  parseDecimal,
  toIntentOrder,
  type Alert,
  type ControlCommand,
  type Fill,
  type Intent,
  type OrderCommand,
  type OrderEvent,
  type RiskDecision,
  type RouteDecision,
} from '@crossvenue/schemas';
import { type Logger } from '@crossvenue/runtime';
import { applyControl, applyIntent, EMPTY_DESIRED_STATE, flattenIntents, isHalted, type DesiredIntent, type DesiredState } from '../intents/DesiredState.ts';
import { applyFillMessage, applyOrderEventMessage, EMPTY_EXECUTION, type ExecutionState } from './ExecutionState.ts';
import {
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
import { killSwitchAlert } from './killSwitchAlert.ts';
import { routedIntentEvent } from './routeDecisionId.ts';

/** What one input made the execution side decide: commands to send, every risk verdict, intents for the router, alerts for people. */
export interface ExecutionOutput {
  commands: OrderCommand[];
  riskDecisions: RiskDecision[];
  /** Re-route requests and the orders of a flatten: the router routes them like any intent. */
  intents: Intent[];
  /** A kill switch engaged or released. */
  alerts: Alert[];
}

export interface PortfolioExecutionOptions {
  risk: RiskEngine;
  logger: Logger;
  clock: () => number;
  newId: () => string;
  /** What happens to quantity a leg left unfilled; DEFAULT_REROUTE_POLICY unless given. */
  policy?: ReroutePolicy;
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
 */
export class PortfolioExecution {
  private desired: DesiredState = EMPTY_DESIRED_STATE;
  private actual: ExecutionState = new Map();
  /** The event id of the intent message each intent's current terms came from. */
  private readonly currentTerms = new Map<string, string>();
  private readonly seenIntentEvents = new Set<string>();
  /** Per routable intent message (PLACE, MODIFY, REROUTE), the event id of the terms it routes. */
  private readonly termsOf = new Map<string, string>();
  /** Intents with a re-route asked for and not answered yet. */
  private readonly rerouting = new Set<string>();
  /** Route decisions read before their intent message (the two topics are read side by side). */
  private readonly early = new Map<string, RouteDecision>();
  private readonly policy: ReroutePolicy;

  constructor(private readonly options: PortfolioExecutionOptions) {
    this.policy = options.policy ?? DEFAULT_REROUTE_POLICY;
  }

  intent(message: Intent): ExecutionOutput {
    this.desired = applyIntent(this.desired, message);
    this.seenIntentEvents.add(message.eventId);
    if (message.action === 'REROUTE') this.termsOf.set(message.eventId, message.reroutes ?? '');
    else if (message.action !== 'CANCEL') {
      this.currentTerms.set(message.intentId, message.eventId);
      this.termsOf.set(message.eventId, message.eventId);
    }
    const output = message.action === 'REROUTE' ? empty() : this.send(this.withdrawn([message.intentId]));
    const decision = this.early.get(message.eventId);
    if (decision) {
      this.early.delete(message.eventId);
      merge(output, this.routeDecision(decision));
    }
    return output;
  }

  routeDecision(decision: RouteDecision): ExecutionOutput {
    const source = routedIntentEvent(decision.eventId);
    const where = `route decision ${decision.eventId} of intent ${decision.intentId}`;
    if (source === null) throw new InvalidInputError(`${where}: not made by the router (its id names no intent message)`);
    if (!this.seenIntentEvents.has(source)) {
      this.early.set(source, decision);
      return empty();
    }
    if (this.termsOf.get(source) !== source) this.rerouting.delete(decision.intentId);
    const intent = this.desired.intents.get(decision.intentId);
    if (!intent || intent.status === 'CANCELED' || this.currentTerms.get(decision.intentId) !== this.termsOf.get(source)) {
      this.options.logger.info({ intentId: decision.intentId }, `${where}: not placed, the intent was canceled or modified since`);
      return empty();
    }
    if (decision.arrivalMid !== null) this.options.risk.setMark(decision.instrument, parseDecimal(decision.arrivalMid, `${where} arrivalMid`));
    return this.send(this.placements(intent, decision, where), intent);
  }

  orderEvent(event: OrderEvent): ExecutionOutput {
    this.options.risk.applyOrderEvent(event);
    const step = applyOrderEventMessage(this.actual, event);
    this.actual = step.state;
    if (step.error !== null) this.options.logger.warn({ eventId: event.eventId }, `order event not applied: ${String(step.error)}`);
    return this.rerouteIfNeeded(event.intentId, `${event.venue} ${event.event} of ${event.clientOrderId}`);
  }

  fill(fill: Fill): ExecutionOutput {
    this.options.risk.applyFill(fill);
    const step = applyFillMessage(this.actual, fill);
    this.actual = step.state;
    if (step.error !== null) this.options.logger.warn({ eventId: fill.eventId }, `fill not applied to a leg: ${String(step.error)}`);
    return fill.intentId === null ? empty() : this.rerouteIfNeeded(fill.intentId, `${fill.venue} fill ${fill.venueTradeId}`);
  }

  control(command: ControlCommand): ExecutionOutput {
    const cancels = this.options.risk.applyControl(command);
    const output = this.send(cancels.map((cancel) => ({ kind: 'CANCEL', command: cancel, why: `${command.scope} kill switch: ${command.reason}` })));
    if (command.type === 'KILL_SWITCH' && command.engaged !== null) output.alerts.push(killSwitchAlert(command, cancels.length, this.options.clock()));
    const before = this.desired;
    this.desired = applyControl(this.desired, command);
    if (this.desired === before) return output;
    merge(output, this.send(this.withdrawn([...this.desired.intents.keys()])));
    output.intents.push(...flattenIntents(command, this.options.risk.positionsOn(command.venue ?? '')));
    return output;
  }

  /** The cancels converge asks for on these intents' live legs (canceled, modified, halted); never new routes. */
  private withdrawn(intentIds: string[]): Action[] {
    const only = { ...this.desired, intents: new Map(intentIds.map((id) => [id, this.desired.intents.get(id)!])) };
    const convergence = converge(only, this.actual, { candidates: () => [], policy: this.policy, newId: this.options.newId, nowMs: this.options.clock() });
    return convergence.actions.filter((action) => action.kind === 'CANCEL');
  }

  /**
   * A REROUTE request for the quantity the intent's legs no longer cover, when `what` left some
   * that may be routed again. Never while the first routing of its terms or another re-route is
   * awaited: each answer caps what it places at the remainder of that moment, never more.
   */
  private rerouteIfNeeded(intentId: string, what: string): ExecutionOutput {
    const output = empty();
    const intent = this.desired.intents.get(intentId);
    if (!intent || this.rerouting.has(intentId)) return output;
    const need = routingNeed(intent, this.desired, this.actual, this.policy);
    if (need === null || 'waiting' in need || need.routes === 0) return output;
    this.rerouting.add(intentId);
    const remainder = formatDecimal(need.remainder);
    output.intents.push({
      eventId: this.options.newId(),
      intentId,
      portfolio: intent.portfolio,
      account: intent.account,
      venues: [...intent.venues],
      instrument: intent.order.instrument,
      action: 'REROUTE',
      kind: 'ORDER',
      order: { ...toIntentOrder(intent.order), amount: remainder, amountType: 'BASE' },
      targetQuantity: null,
      group: null,
      reroutes: this.currentTerms.get(intentId) ?? null,
      avoidVenues: venuesToAvoid(intent, this.actual.get(intentId) ?? EMPTY_EXECUTION),
      flattens: intent.flattens,
      source: 'EXECUTION',
      requestedBy: `execution: re-route ${remainder} after ${what} (route ${need.routes + 1} of ${this.policy.maxRoutes})`,
      createdAtMs: this.options.clock(),
    });
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
      actions.push({ kind: 'PLACE', command: placeCommand(intent, numbered, { newId: this.options.newId, nowMs: this.options.clock() }), version: intent.version });
    }
    return actions;
  }

  /**
   * Checks each command in order and records what was approved: a rejected PLACE is not sent and
   * its quantity is not counted as working. A routing counts against the re-route policy even
   * when risk rejected every leg.
   */
  private send(actions: Action[], routed?: DesiredIntent): ExecutionOutput {
    const output = empty();
    const approved: Action[] = [];
    for (const action of actions) {
      const verdict = this.options.risk.check(action.command);
      output.riskDecisions.push(verdict);
      if (verdict.decision !== 'APPROVED') continue;
      approved.push(action);
      output.commands.push(action.command);
    }
    this.actual = recordActions(this.actual, { actions: approved, adjustments: [], plans: [], routed: routed ? [{ intentId: routed.intentId, version: routed.version }] : [] });
    return output;
  }
}

function empty(): ExecutionOutput {
  return { commands: [], riskDecisions: [], intents: [], alerts: [] };
}

function merge(into: ExecutionOutput, more: ExecutionOutput): void {
  into.commands.push(...more.commands);
  into.riskDecisions.push(...more.riskDecisions);
  into.intents.push(...more.intents);
  into.alerts.push(...more.alerts);
}
