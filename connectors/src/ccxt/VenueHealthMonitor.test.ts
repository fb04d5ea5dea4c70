import { describe, expect, it } from 'vitest';
import { VenueHealthMonitor } from './VenueHealthMonitor.ts';

describe('VenueHealthMonitor', () => {
  const setup = () => {
    const clock = { now: 1_000_000 };
    const monitor = new VenueHealthMonitor('binance', 'acct', () => clock.now);
    return { clock, monitor };
  };
  const call = (monitor: VenueHealthMonitor, clock: { now: number }, ms: number, fails = false) =>
    monitor.measure(async () => {
      clock.now += ms;
      if (fails) throw new Error('boom');
    }).catch(() => undefined);

  it('is HEALTHY with a connected stream and quick answers, with the percentiles of the HTTP round trips', async () => {
    const { clock, monitor } = setup();
    monitor.streamConnected();
    const exchange = { fetch: async (took: unknown) => void (clock.now += took as number) };
    monitor.timeRequests(exchange as never);
    for (const ms of [10, 20, 30, 40, 500]) await exchange.fetch(ms);
    // A ccxt call that waited in its rate limiter: its length is not the venue's latency.
    await call(monitor, clock, 5_000);
    expect(monitor.report()).toMatchObject({ state: 'HEALTHY', reason: '', latencyP50Ms: 30, latencyP99Ms: 500, errorRate: '0', userStreamStalenessMs: 0 });
    await exchange.fetch(2_500);
    expect(monitor.report()).toMatchObject({ state: 'DEGRADED', reason: 'latency p99 2500 ms > 2000 ms' });
  });

  it('counts staleness from the drop: DEGRADED after 5 s, DOWN after 30 s', () => {
    const { clock, monitor } = setup();
    monitor.streamConnected();
    monitor.streamDisconnected();
    clock.now += 6_000;
    expect(monitor.report()).toMatchObject({ state: 'DEGRADED', reason: 'user stream down 6000 ms > 5000 ms', userStreamStalenessMs: 6_000 });
    clock.now += 25_000;
    expect(monitor.report()).toMatchObject({ state: 'DOWN', reason: 'user stream down 31000 ms > 30000 ms' });
  });

  it('rates errors and rejects over the window only', async () => {
    const { clock, monitor } = setup();
    monitor.streamConnected();
    await call(monitor, clock, 5, true);
    for (let i = 0; i < 4; i++) await call(monitor, clock, 5);
    expect(monitor.report()).toMatchObject({ state: 'DEGRADED', errorRate: '0.2', reason: 'error rate 0.200 > 0.1' });
    monitor.orderOutcome(true);
    monitor.orderOutcome(false);
    expect(monitor.report().rejectRate).toBe('0.5');
    clock.now += 61_000;
    expect(monitor.report()).toMatchObject({ state: 'HEALTHY', errorRate: '0', rejectRate: '0', latencyP50Ms: null });
  });
});
