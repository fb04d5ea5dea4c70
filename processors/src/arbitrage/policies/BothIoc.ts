import type { SpotSpread } from '../spotSpread.ts';
import { OrderGroup } from '../OrderGroup.ts';

/**
 * BOTH_IOC: both legs at once, each an IOC limit pinned to its venue. Once both have ended, a
 * flat group is CAPTURED (or MISSED when neither filled); whatever one side filled beyond the
 * other is unwound (OrderGroup.unwindOrClose).
 */
export class BothIoc extends OrderGroup<SpotSpread> {
  protected async openLegs(): Promise<void> {
    const { buyVenue, sellVenue, quantity, buyLimit, sellLimit } = this.plan;
    await Promise.all([
      this.send({ role: 'ENTRY', venue: buyVenue, side: 'BUY', quantity, limitPrice: buyLimit, timeInForce: 'IOC', postOnly: false }),
      this.send({ role: 'ENTRY', venue: sellVenue, side: 'SELL', quantity, limitPrice: sellLimit, timeInForce: 'IOC', postOnly: false }),
    ]);
  }

  protected async advance(): Promise<void> {
    await this.unwindOrClose(this.outcomes());
  }
}
