import type { OrderCommand, RiskDecision } from '@crossvenue/schemas';
import { decisionOfPlaceCommand } from './routeDecisionId.ts';

/**
 * What an earlier run of the execution worker decided, read back from its own order commands and
 * risk decisions before a restart re-reads its inputs: per route decision, the PLACE commands it
 * sent (none when risk refused every leg). A decision found here is never decided again.
 */
export class EarlierRun {
  private readonly decided = new Map<string, OrderCommand[]>();
  /** Per route decision risk refused a PLACE of, the first such verdict: why it placed nothing, if it did not. */
  private readonly refusals = new Map<string, RiskDecision>();

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
    if (decision === null) return;
    if (!this.decided.has(decision)) this.decided.set(decision, []);
    if (!this.refusals.has(decision)) this.refusals.set(decision, verdict);
  }

  /** Every decision `wanted` names, with the commands sent for it (maybe none), once. */
  takeWhere(wanted: (decisionEventId: string) => boolean): Array<[decisionEventId: string, sent: OrderCommand[]]> {
    const taken = [...this.decided].filter(([decision]) => wanted(decision));
    for (const [decision] of taken) {
      this.decided.delete(decision);
      this.refusals.delete(decision);
    }
    return taken;
  }

  /**
   * The commands sent for this route decision if it was decided (maybe none), with the first risk
   * refusal of one of its legs (null if none), once; undefined if not decided.
   */
  take(decisionEventId: string): { sent: OrderCommand[]; refusal: RiskDecision | null } | undefined {
    const sent = this.decided.get(decisionEventId);
    const refusal = this.refusals.get(decisionEventId) ?? null;
    this.decided.delete(decisionEventId);
    this.refusals.delete(decisionEventId);
    return sent && { sent, refusal };
  }
}
