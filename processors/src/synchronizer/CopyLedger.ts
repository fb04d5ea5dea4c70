import type { Decimal } from '@crossvenue/schemas';

/**
 * One follower's copy of one instrument: the position it should hold (`target`, moved by the
 * leader's fills under its sizing mode) and what it has been sent (`sent`: mirrored orders and
 * corrections, plus the position it held when copying began). What the target asks for and was
 * not sent is the residual: an order below the venue's minimum is skipped and its quantity stays
 * here, so the next leader fill (or the next correction) trades it with its own once it is tradable.
 */
export class CopyLedger {
  private targetQuantity: Decimal;
  private sentQuantity: Decimal;

  /** Copying starts from the follower's position as it is: it is the target until the leader moves. */
  constructor(position: Decimal) {
    this.targetQuantity = position;
    this.sentQuantity = position;
  }

  get target(): Decimal {
    return this.targetQuantity;
  }

  /** Signed: what the target wants that is not sent yet. */
  get residual(): Decimal {
    return this.targetQuantity.minus(this.sentQuantity);
  }

  /** The leader moved: the target the sizing mode gives now. */
  retarget(target: Decimal): void {
    this.targetQuantity = target;
  }

  /** An order of `quantity` (signed) was sent. */
  sent(quantity: Decimal): void {
    this.sentQuantity = this.sentQuantity.plus(quantity);
  }

  /**
   * A correction of `quantity` was sent to a follower holding `position`: from now on what was
   * sent is what the venue says it holds plus the correction, and the target is the re-sync's.
   */
  corrected(target: Decimal, position: Decimal, quantity: Decimal): void {
    this.targetQuantity = target;
    this.sentQuantity = position.plus(quantity);
  }
}
