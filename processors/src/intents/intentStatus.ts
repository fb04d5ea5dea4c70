import { routesOf, type IntentExecution } from '../execution/ExecutionState.ts';
import { rollUpIntent, type IntentRollUp } from '../orders/intentRollUp.ts';
import type { DesiredIntent } from './DesiredState.ts';
import { routableRemainder, type ReroutePolicy } from './converge.ts';

/**
 * An intent's status for its owner: the roll-up of its legs, and whether it is done, i.e. no leg
 * can execute any more and nothing will be routed again (filled, cancelled, what is left ended
 * for good as IOC/FOK, or the re-route policy is used up).
 */
export function intentStatus(intent: DesiredIntent, execution: IntentExecution, policy: ReroutePolicy): IntentRollUp & { done: boolean } {
  const rollUp = rollUpIntent(intent.order.amount, execution.legs.map((leg) => leg.order));
  const moreToRoute =
    intent.status === 'ACTIVE' &&
    routableRemainder(intent, execution).gt(0) &&
    (routesOf(execution, intent.version) === 0 || (policy.reroute && routesOf(execution, intent.version) < policy.maxRoutes));
  return { ...rollUp, done: (rollUp.terminal || execution.legs.length === 0) && !moreToRoute };
}
