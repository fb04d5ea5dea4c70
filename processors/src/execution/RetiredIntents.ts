import { InvalidInputError, type Intent, type IntentState } from '@crossvenue/schemas';

/**
 * Intents PortfolioExecution has let go of: each ended for good (canceled, expired or filled whole, every leg
 * terminal, every fill held) and its final status was published, so nothing about it can change
 * what is sent or reported. Only the id and how it ended stay (strings: cheap to hold and to
 * snapshot); its terms, legs and fills are dropped. A message about it is answered as a message
 * about an ended intent always was, without its state:
 *
 * - CANCEL and EXPIRE change nothing on an ended intent: dropped.
 * - REROUTE: the answer to a re-route asked before it ended places nothing: dropped.
 * - MODIFY is refused as for a canceled or expired intent, naming how it ended. One that ended
 *   DONE (filled whole) is refused too: its status was final, and a client waiting on it was told
 *   so (FINAL_INTENT_STATES). Before retirement existed such a MODIFY reopened the intent.
 * - PLACE of an intent that exists is refused, as ever.
 */
export class RetiredIntents {
  /** How each ended: CANCELED or EXPIRED (its desired status), or DONE. */
  private readonly ended = new Map<string, IntentState>();

  has(intentId: string): boolean {
    return this.ended.has(intentId);
  }

  add(intentId: string, as: IntentState): void {
    this.ended.set(intentId, as);
  }

  /** True when `message` concerns a retired intent and is dropped; throws InvalidInputError (as applyIntent does) when it is refused. */
  drops(message: Intent): boolean {
    const as = this.ended.get(message.intentId);
    if (as === undefined) return false;
    const where = `intent ${message.intentId}`;
    if (message.action === 'PLACE') throw new InvalidInputError(`${where}: PLACE of an intent that exists; use MODIFY`);
    if (message.action === 'MODIFY') throw new InvalidInputError(`${where}: MODIFY of an intent that is ${as.toLowerCase()}`);
    return true;
  }
}
