import { Decimal, parseDecimal, type Fill, type RouteDecision } from '@crossvenue/schemas';
import type { ExecutionMetrics } from '@crossvenue/runtime';

const BPS = new Decimal(10_000);

/**
 * The router's expected price against the realized one, fill by fill (crossvenue_fill_slippage_bps):
 * each fill's price against the expected average price of its intent's first route decision (the
 * arrival plan; GET /intents/{id}/path summarizes the same way), in basis points, positive when
 * worse: a buy paid more, a sell received less. Decisions read while replaying are remembered;
 * the worker measures only live fills, so a restart does not count old fills again.
 *
 * Known limit: one price per intent is kept for the life of the worker, like the execution state.
 */
export class FillSlippage {
  private readonly expected = new Map<string, Decimal>();

  constructor(private readonly metrics: ExecutionMetrics) {}

  routeDecision(decision: RouteDecision): void {
    if (this.expected.has(decision.intentId)) return;
    let quantity = new Decimal(0);
    let notional = new Decimal(0);
    for (const leg of decision.legs) {
      const legQuantity = parseDecimal(leg.quantity, 'leg quantity');
      quantity = quantity.plus(legQuantity);
      notional = notional.plus(legQuantity.times(parseDecimal(leg.expectedAveragePrice, 'leg expectedAveragePrice')));
    }
    if (!quantity.isZero()) this.expected.set(decision.intentId, notional.dividedBy(quantity));
  }

  fill(fill: Fill): void {
    const expected = fill.intentId === null ? undefined : this.expected.get(fill.intentId);
    if (!expected || expected.isZero()) return;
    const worse = parseDecimal(fill.price, 'fill price').minus(expected).dividedBy(expected).times(BPS);
    this.metrics.fillSlippage(fill.venue, (fill.side === 'SELL' ? worse.negated() : worse).toNumber());
  }
}
