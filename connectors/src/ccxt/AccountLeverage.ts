import { randomUUID } from 'node:crypto';
import { TOPICS, type Alert, type ControlCommand } from '@crossvenue/schemas';
import type { Consumer, Delivered } from '@crossvenue/runtime';
import type { ConnectorContext } from './ConnectorContext.ts';

/**
 * The CONFIG_CHANGE key (ACCOUNT scope, this connector's venue and account) whose value is the
 * leverage to set on one instrument: `leverage.BTC/USDT:USDT` = `"5"`. The synchronizer sends it
 * for a follower with `leverage` (processors/src/synchronizer/followerCommands.ts writes the same key).
 */
export const LEVERAGE_KEY_PREFIX = 'leverage.';

export type LeverageOutcome = { set: true } | { set: false; reason: string };

/**
 * Sets the account's leverage on a derivative instrument when control.commands asks for it (ccxt
 * `setLeverage(leverage, symbol)`), and reports each outcome on ops.alerts: LEVERAGE_SET (info) or
 * LEVERAGE_REFUSED (warning, with the reason: not a whole number, a spot instrument, a ccxt class
 * without setLeverage, or ccxt's or the venue's refusal). control.commands is compacted and read whole at
 * start, so the latest leverage of each instrument is set again after a restart (the venue may
 * have been reset meanwhile; setting it again changes nothing otherwise).
 */
export class AccountLeverage {
  private consumer: Consumer | undefined;

  constructor(private readonly context: ConnectorContext) {}

  async start(): Promise<void> {
    const { messages, venue, account } = this.context;
    this.consumer = await messages.subscribe({
      groupId: `ccxt-connector-control.${venue}.${account}.${randomUUID()}`,
      topics: [TOPICS.controlCommands],
      fromBeginning: true,
      commit: false,
      handle: async (batch) => {
        for (const { value } of batch as Array<Delivered<ControlCommand>>) await this.handle(value);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  /** Applies a command when it is a leverage of this account (any other is not this connector's), and reports the outcome. */
  async handle(command: ControlCommand): Promise<void> {
    const { venue, account, logger, messages, now } = this.context;
    const key = command.configKey;
    if (command.type !== 'CONFIG_CHANGE' || command.scope !== 'ACCOUNT' || command.venue !== venue || command.account !== account || !key?.startsWith(LEVERAGE_KEY_PREFIX)) return;
    const instrument = key.slice(LEVERAGE_KEY_PREFIX.length);
    const outcome = await this.set(instrument, command.configValue ?? '');
    const message = outcome.set
      ? `${venue}/${account}: leverage ${command.configValue} set on ${instrument} (${command.issuedBy}: ${command.reason})`
      : `${venue}/${account}: leverage ${command.configValue} on ${instrument} refused: ${outcome.reason} (${command.issuedBy}: ${command.reason})`;
    logger[outcome.set ? 'info' : 'warn']({ venue, account, instrument, command: command.eventId }, message);
    const alert: Alert = {
      eventId: randomUUID(),
      severity: outcome.set ? 'INFO' : 'WARNING',
      code: outcome.set ? 'LEVERAGE_SET' : 'LEVERAGE_REFUSED',
      component: 'ccxt-connector',
      venue,
      account,
      subject: instrument,
      message,
      raisedAtMs: now(),
    };
    await messages.publish(TOPICS.alerts, [alert]);
  }

  /** Sets the leverage, or says why it was not: checked here first where the answer is known without asking the venue. */
  async set(instrument: string, value: string): Promise<LeverageOutcome> {
    const { exchange } = this.context;
    if (!/^[1-9][0-9]*$/.test(value)) return { set: false, reason: `${JSON.stringify(value)} is not a whole leverage of 1 or more` };
    if (!exchange.has.setLeverage) return { set: false, reason: `ccxt ${exchange.id} has no setLeverage` };
    const market = exchange.markets?.[instrument];
    if (!market) return { set: false, reason: `${instrument} is not a market of ${exchange.id}` };
    if (!market.contract) return { set: false, reason: `${instrument} is spot, which has no leverage` };
    try {
      await exchange.setLeverage(Number(value), instrument);
      return { set: true };
    } catch (error) {
      // ccxt's own checks (Binance's 1-125) or the venue's answer, whichever refused it first.
      return { set: false, reason: `setLeverage failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` };
    }
  }
}
