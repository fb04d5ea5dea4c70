import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { LocalCodec, TOPICS, type Alert, type VenueHealth } from '@crossvenue/schemas';
import { ccxtClientFor, CCXT_CONNECTOR_TOPICS } from '@crossvenue/connectors';
import { startTestVenue } from '@crossvenue/simulator/testing';
import { describe, expect, it } from 'vitest';
import { collectInto, quietConnector } from './connectorFixtures.ts';

/**
 * A connector started while its venue cannot be reached (not listening yet, or dark) starts once
 * the venue answers, saying meanwhile that it is DOWN: under load, one started before its simulated
 * venue listened exited, and was restarted into the same refusal.
 */
describe('CcxtConnector started while its venue is dark', { timeout: 20_000 }, () => {
  it('reports the venue DOWN while it cannot load the markets, and starts once the venue is back', async () => {
    const { venue, endpoints } = await startTestVenue({ dialect: 'binance', name: 'dark-at-start' });
    const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('test', { level: 'silent' }));
    await messages.prepare(CCXT_CONNECTOR_TOPICS);
    const health: VenueHealth[] = [];
    const alerts: Alert[] = [];
    await collectInto(messages, TOPICS.venueHealth, health);
    await collectInto(messages, TOPICS.alerts, alerts);
    await venue.outage();
    const connector = quietConnector({ exchange: ccxtClientFor(endpoints), venue: 'dark-at-start', messages, reconnectDelayMs: 100 });
    let started = false;
    const starting = connector.start().then(() => (started = true));
    try {
      await waitFor('the venue reported DOWN', () => health.some((report) => report.state === 'DOWN'), 10_000);
      expect(started).toBe(false);
      expect(alerts.map((alert) => alert.code)).toContain('VENUE_DOWN');

      await venue.recover();
      await starting;
      expect(started).toBe(true);
    } finally {
      await connector.stop();
      await venue.stop();
      await messages.bus.close();
    }
  });
});
