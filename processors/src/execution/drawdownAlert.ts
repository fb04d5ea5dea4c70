import { formatDecimal, type Alert } from '@crossvenue/schemas';
import type { Drawdown } from '../risk/RiskEngine.ts';

/**
 * The alert that tells people a market move took a scope below its drawdown stop (CRITICAL: from
 * now on only risk-reducing orders pass there) or back above it (INFO). Amounts in the limits'
 * currency, to the cent.
 */
export function drawdownAlert(breach: Drawdown, eventId: string, nowMs: number): Alert {
  const reached = breach.below;
  const money = (amount: Drawdown['pnl']) => `${formatDecimal(amount.toDecimalPlaces(2))} ${breach.currency}`;
  const message = reached
    ? `drawdown stop reached (${breach.scope}): PnL ${money(breach.pnl)} is below ${money(breach.floor)}; only risk-reducing orders pass`
    : `drawdown stop cleared (${breach.scope}): PnL ${money(breach.pnl)} is back above ${money(breach.floor)}`;
  return {
    eventId,
    severity: reached ? 'CRITICAL' : 'INFO',
    code: 'DRAWDOWN_STOP',
    component: 'execution',
    venue: null,
    account: null,
    subject: breach.scope,
    message,
    raisedAtMs: nowMs,
  };
}
