import type { OrderCommand, RiskDecision } from '@crossvenue/schemas';
import { decisionOfPlaceCommand } from './routeDecisionId.ts';

/**
 * What an earlier run of the execution worker decided, read back from its own order commands and
 * risk decisions before a restart re-reads its inputs: per route decision, the PLACE commands it
 * sent (none when risk refused every leg). A decision found here is never decided again.
 */
export class EarlierRun {
  private readonly decided = new Map<string, OrderCommand[]>();

  /** A command it sent: a PLACE names its route decision (OrderCommand.routeDecisionId). */
  commandSent(command: OrderCommand): void {
    if (command.type !== 'PLACE' || command.routeDecisionId === null) return;
    const sent = this.decided.get(command.routeDecisionId) ?? [];
    if (!sent.some((known) => known.clientOrderId === command.clientOrderId)) sent.push(command);
    this.decided.set(command.routeDecisionId, sent);
  }

  /**
   * A risk decision it published: a refused PLACE says its route decision was decided, so a re-read
   * in another order (a kill switch read after the decision this time) cannot decide it differently.
   */
  riskDecided(verdict: RiskDecision): void {
    const decision = verdict.decision === 'REJECTED' && verdict.commandId !== null ? decisionOfPlaceCommand(verdict.commandId) : null;
    if (decision !== null && !this.decided.has(decision)) this.decided.set(decision, []);
  }

  /** Every decision `wanted` names, with the commands sent for it (maybe none), once. */
  takeWhere(wanted: (decisionEventId: string) => boolean): Array<[decisionEventId: string, sent: OrderCommand[]]> {
    const taken = [...this.decided].filter(([decision]) => wanted(decision));
    for (const [decision] of taken) this.decided.delete(decision);
    return taken;
  }

  /** The commands sent for this route decision if it was decided (maybe none), once; undefined if not. */
  take(decisionEventId: string): OrderCommand[] | undefined {
    const sent = this.decided.get(decisionEventId);
    this.decided.delete(decisionEventId);
    return sent;
  }
}
