import { parseRiskLimits, type RiskLimits } from '@crossvenue/processors';

/**
 * The embedded run's risk limits, sized for the demo accounts (1,000,000 USDT and 10 BTC on each
 * venue) so that an order a few times larger than one venue's top level passes: at most 100,000
 * USDT per child order, limit prices within 5 % of the mid, 20 orders a second for the portfolio
 * and 50 per venue. (`worker execution` without RISK_LIMITS_FILE is deliberately tighter.)
 */
export function demoRiskLimits(): RiskLimits {
  return parseRiskLimits({
    currency: 'USDT',
    rateWindowMs: 1_000,
    maxOrdersPerVenuePerWindow: 50,
    portfolio: { maxOrderNotional: '100000', priceBand: '0.05', maxOrdersPerWindow: 20 },
  });
}
