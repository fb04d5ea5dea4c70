import { waitFor } from '@crossvenue/runtime/testing';
import { TOPICS, type Alert, type ControlCommand } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { ccxtClientFor } from '@crossvenue/connectors';
import { collectInto, connectorOnSimulatedVenue, quietConnector } from './connectorFixtures.ts';

const PERPETUAL = 'BTC/USDT:USDT';
const ACCOUNT = { venue: 'leverage-venue', account: 'leverage-trader', portfolio: 'leverage-portfolio' };

function leverage(instrument: string, value: string, target: { venue: string; account: string } = ACCOUNT): ControlCommand {
  const example = EXAMPLES.find(({ schema }) => schema === TOPICS.controlCommands.schema)!.value as ControlCommand;
  return { ...example, eventId: `lev-${Math.random()}`, type: 'CONFIG_CHANGE', scope: 'ACCOUNT', portfolio: null, venue: target.venue, account: target.account, configKey: `leverage.${instrument}`, configValue: value, issuedBy: 'synchronizer', reason: 'test' };
}

/**
 * Leverage per account instrument (issue #19): a control command asks the connector of the
 * simulated Binance USD-M venue's account to set a leverage; the connector calls ccxt setLeverage
 * and reports the outcome on ops.alerts. Read back from the venue by a client of the test's own.
 */
describe('the ccxt connector sets its account\'s leverage when control.commands asks', () => {
  const alerts: Alert[] = [];
  const run = connectorOnSimulatedVenue({
    venue: { name: ACCOUNT.venue, dialect: 'binanceusdm', seed: 7 },
    subscribe: (messages) => collectInto(messages, TOPICS.alerts, alerts),
    connect: (exchange, messages) => quietConnector({ exchange, messages, ...ACCOUNT, instruments: [PERPETUAL] }),
  });
  const leverageAlerts = () => alerts.filter(({ code }) => code.startsWith('LEVERAGE_'));
  const atVenue = async () => {
    const client = ccxtClientFor(run.venue.endpoints);
    try {
      // USD-M's v2 positionRisk lists a flat position with its leverage (ccxt's fetchPositions leaves flat ones out).
      const [risk] = (await client.fapiPrivateV2GetPositionRisk({ symbol: 'BTCUSDT' })) as Array<{ leverage: string }>;
      return Number(risk!.leverage);
    } finally {
      await client.close();
    }
  };

  it('sets it, reports LEVERAGE_SET, and reports the venue\'s refusal of one above its maximum, leaving the leverage as it was', async () => {
    await run.messages.publish(TOPICS.controlCommands, [leverage(PERPETUAL, '7')]);
    await waitFor('the leverage set', () => leverageAlerts().length === 1, 10_000);
    expect(leverageAlerts()[0]).toMatchObject({ code: 'LEVERAGE_SET', severity: 'INFO', component: 'ccxt-connector', ...{ venue: ACCOUNT.venue, account: ACCOUNT.account }, subject: PERPETUAL });
    expect(await atVenue()).toBe(7);

    // Another account's command is not this connector's; then 126, above the venue's maximum (125: ccxt checks it before sending).
    await run.messages.publish(TOPICS.controlCommands, [leverage(PERPETUAL, '3', { venue: ACCOUNT.venue, account: 'someone-else' }), leverage(PERPETUAL, '126')]);
    await waitFor('the refusal', () => leverageAlerts().length === 2, 10_000);
    expect(leverageAlerts()[1]).toMatchObject({ code: 'LEVERAGE_REFUSED', severity: 'WARNING', subject: PERPETUAL, message: expect.stringMatching(/leverage 126 on BTC\/USDT:USDT refused: setLeverage failed: binanceusdm leverage should be between 1 and 125/) });
    expect(await atVenue()).toBe(7);
  });

  it('refuses, without asking the venue, a leverage that is not a whole number and an instrument the venue does not list', async () => {
    const before = leverageAlerts().length;
    await run.messages.publish(TOPICS.controlCommands, [leverage(PERPETUAL, '2.5'), leverage('DOGE/USDT:USDT', '2')]);
    await waitFor('two refusals', () => leverageAlerts().length === before + 2, 10_000);
    expect(leverageAlerts().slice(before).map(({ code, message }) => [code, message])).toEqual([
      ['LEVERAGE_REFUSED', expect.stringContaining('"2.5" is not a whole leverage of 1 or more')],
      ['LEVERAGE_REFUSED', expect.stringContaining('DOGE/USDT:USDT is not a market of binanceusdm')],
    ]);
    expect(await atVenue()).toBe(7);
  });
});
