import type { ControlCommand, OrderCommand } from '@crossvenue/schemas';

type Target = Pick<OrderCommand, 'portfolio' | 'venue' | 'account'>;

/**
 * Engaged kill switches, global, per portfolio, per venue and per account, from ControlCommand
 * messages. Applied in the same ordered stream as the orders they stop, so the very next command
 * after an engage is already blocked.
 */
export class KillSwitches {
  private readonly engaged = new Map<string, ControlCommand>();

  /** Returns true when the command changed a kill switch. */
  apply(control: ControlCommand): boolean {
    if (control.type !== 'KILL_SWITCH' || control.engaged === null) return false;
    const key = switchKey(control);
    if (control.engaged) this.engaged.set(key, control);
    else this.engaged.delete(key);
    return true;
  }

  /** The engaged switch that stops orders for this target, if any. */
  blocking(target: Target): ControlCommand | undefined {
    return [
      'GLOBAL',
      `PORTFOLIO|${target.portfolio}`,
      `VENUE|${target.venue}`,
      `ACCOUNT|${target.venue}|${target.account}`,
    ].map((key) => this.engaged.get(key)).find((control) => control !== undefined);
  }
}

function switchKey(control: ControlCommand): string {
  switch (control.scope) {
    case 'GLOBAL':
      return 'GLOBAL';
    case 'PORTFOLIO':
      return `PORTFOLIO|${control.portfolio}`;
    case 'VENUE':
      return `VENUE|${control.venue}`;
    case 'ACCOUNT':
      return `ACCOUNT|${control.venue}|${control.account}`;
  }
}

/** Whether an order falls in the scope of a control command (to cancel it on an engage). */
export function inScope(control: ControlCommand, target: Target): boolean {
  switch (control.scope) {
    case 'GLOBAL':
      return true;
    case 'PORTFOLIO':
      return target.portfolio === control.portfolio;
    case 'VENUE':
      return target.venue === control.venue;
    case 'ACCOUNT':
      return target.venue === control.venue && target.account === control.account;
  }
}
