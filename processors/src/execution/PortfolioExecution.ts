import {
  Decimal,
  InvalidInputError,
  parseDecimal,
  type ControlCommand,
  type Fill,
  type Intent,
  type Logger,
  type OrderCommand,
  type OrderEvent,
  type RiskDecision,
  type RouteDecision,
} from '@crossvenue/schemas';
import { applyIntent, EMPTY_DESIRED_STATE, type DesiredIntent, type DesiredState } from '../intents/DesiredState.ts';
import { applyFillMessage, applyOrderEventMessage, EMPTY_EXECUTION, type ExecutionState } from '../intents/ExecutionState.ts';
import { converge, DEFAULT_REROUTE_POLICY, placeCommand, recordActions, routableRemainder, type Action } from '../intents/converge.ts';
import type { RiskEngine } from '../risk/RiskEngine.ts';
import { routedIntentEvent } from './routeDecisionId.ts';

/** What one input made the execution side decide: commands to send and every risk verdict. */
export interface ExecutionOutput {
  commands: OrderCommand[];
  riskDecisions: RiskDecision[];
}

export interface PortfolioExecutionOptions {
  risk: RiskEngine;
  logger: Logger;
  clock: () => number;
  newId: () => string;
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
 * - Order events and fills go to both the legs and the risk engine; a kill switch applies from the
 *   next command on, and one that cancels open orders sends those cancels.
 */
export class PortfolioExecution {
  private desired: DesiredState = EMPTY_DESIRED_STATE;
  private actual: ExecutionState = new Map();
  /** The event id of the intent message each intent's current terms came from. */
  private readonly currentTerms = new Map<string, string>();
  private readonly seenIntentEvents = new Set<string>();
  /** Route decisions read before their intent message (the two topics are read side by side). */
  private readonly early = new Map<string, RouteDecision>();

  constructor(private readonly options: PortfolioExecutionOptions) {}

  intent(message: Intent): ExecutionOutput {
    this.desired = applyIntent(this.desired, message);
    this.seenIntentEvents.add(message.eventId);
    if (message.action !== 'CANCEL') this.currentTerms.set(message.intentId, message.eventId);
    const output = this.send(this.withdrawn(message.intentId));
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
    const intent = this.desired.intents.get(decision.intentId);
    if (!intent || intent.status === 'CANCELED' || this.currentTerms.get(decision.intentId) !== source) {
      this.options.logger.info({ intentId: decision.intentId }, `${where}: not placed, the intent was canceled or modified since`);
      return empty();
    }
    if (decision.arrivalMid !== null) this.options.risk.setMark(decision.instrument, parseDecimal(decision.arrivalMid, `${where} arrivalMid`));
    return this.send(this.placements(intent, decision, where), intent);
  }

  orderEvent(event: OrderEvent): void {
    this.options.risk.applyOrderEvent(event);
    const step = applyOrderEventMessage(this.actual, event);
    this.actual = step.state;
    if (step.error !== null) this.options.logger.warn({ eventId: event.eventId }, `order event not applied: ${String(step.error)}`);
  }

  fill(fill: Fill): void {
    this.options.risk.applyFill(fill);
    const step = applyFillMessage(this.actual, fill);
    this.actual = step.state;
    if (step.error !== null) this.options.logger.warn({ eventId: fill.eventId }, `fill not applied to a leg: ${String(step.error)}`);
  }

  control(command: ControlCommand): ExecutionOutput {
    const cancels = this.options.risk.applyControl(command);
    return this.send(cancels.map((cancel) => ({ kind: 'CANCEL', command: cancel, why: `${command.scope} kill switch: ${command.reason}` })));
  }

  /** The cancels converge asks for on this intent's live legs (canceled, or modified to new terms); never new routes. */
  private withdrawn(intentId: string): Action[] {
    const intent = this.desired.intents.get(intentId)!;
    const only = { ...this.desired, intents: new Map([[intentId, intent]]) };
    const convergence = converge(only, this.actual, { candidates: () => [], policy: DEFAULT_REROUTE_POLICY, newId: this.options.newId, nowMs: this.options.clock() });
    return convergence.actions.filter((action) => action.kind === 'CANCEL');
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
  return { commands: [], riskDecisions: [] };
}

function merge(into: ExecutionOutput, more: ExecutionOutput): void {
  into.commands.push(...more.commands);
  into.riskDecisions.push(...more.riskDecisions);
}
