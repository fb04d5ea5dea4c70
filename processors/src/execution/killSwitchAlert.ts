import type { Alert, ControlCommand } from '@crossvenue/schemas';

/**
 * The alert that tells people a kill switch was engaged or released: CRITICAL when new orders
 * stop, INFO when they may flow again. Its event id is derived from the command's, so every
 * instance and every redelivery says it under the same id, and a notifier sends it once.
 */
export function killSwitchAlert(command: ControlCommand, nowMs: number): Alert {
  const engaged = command.engaged === true;
  const scope = scopeOf(command);
  // No count: each execution partition cancels its own open orders (the cancels are in the audit).
  const cancelled = engaged && command.cancelOpenOrders ? '; its open orders are being cancelled' : '';
  return {
    eventId: `${command.eventId}:alert`,
    severity: engaged ? 'CRITICAL' : 'INFO',
    code: 'KILL_SWITCH',
    component: 'execution',
    venue: command.venue,
    account: command.account,
    subject: scope,
    message: `kill switch ${engaged ? 'engaged: new orders stop' : 'released: new orders may flow'} (${scope}), by ${command.issuedBy}: ${command.reason}${cancelled}`,
    raisedAtMs: nowMs,
  };
}

function scopeOf(command: ControlCommand): string {
  switch (command.scope) {
    case 'GLOBAL':
      return 'global';
    case 'PORTFOLIO':
      return `portfolio ${command.portfolio}`;
    case 'VENUE':
      return `venue ${command.venue}`;
    case 'ACCOUNT':
      return `account ${command.venue}/${command.account}`;
  }
}
