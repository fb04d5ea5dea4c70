import { TOPICS, type Alert, type VenueHealth } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { describe, expect, it } from 'vitest';
import { collectInto, connectorOnSimulatedVenue, quietConnector } from './connectorFixtures.ts';

/**
 * A venue going dark is an input (DESIGN.md invariant 7): the connector's health turns DOWN and it
 * raises one VENUE_DOWN alert for the notifier, then one VENUE_UP when the venue is back.
 */
describe('CcxtConnector on a simulated binance venue that goes dark', { timeout: 20_000 }, () => {
  const alerts: Alert[] = [];
  const health: VenueHealth[] = [];
  const run = connectorOnSimulatedVenue({
    venue: { dialect: 'binance', name: 'venue-down' },
    subscribe: async (messages) => {
      await collectInto(messages, TOPICS.alerts, alerts);
      await collectInto(messages, TOPICS.venueHealth, health);
    },
    // A user stream gone for 200 ms is DOWN, so the test need not wait the production 30 s.
    connect: (exchange, messages) => quietConnector({ exchange, venue: 'venue-down', messages, health: { staleAfterMs: 100, downAfterMs: 200 } }),
  });

  const stateOf = async () => {
    await run.connector.publishHealth();
    await waitFor('the health report', () => health.length > 0);
    return health.at(-1)!.state;
  };

  it('raises VENUE_DOWN once when the venue goes down, and VENUE_UP once when it is back', async () => {
    await waitFor('the user stream up', async () => (await stateOf()) === 'HEALTHY', 10_000);
    expect(alerts).toEqual([]);

    await run.venue.outage();
    await waitFor('the venue DOWN', async () => (await stateOf()) === 'DOWN', 10_000);
    await run.connector.publishHealth();
    await waitFor('the alert', () => alerts.length > 0);
    expect(alerts).toEqual([expect.objectContaining({ code: 'VENUE_DOWN', severity: 'CRITICAL', venue: 'venue-down', account: 'acct', component: 'ccxt-connector' })]);

    await run.venue.recover();
    await waitFor('the venue back', async () => (await stateOf()) !== 'DOWN', 15_000);
    await waitFor('the second alert', () => alerts.length > 1);
    await run.connector.publishHealth();
    expect(alerts.map((alert) => alert.code)).toEqual(['VENUE_DOWN', 'VENUE_UP']);
  });
});
