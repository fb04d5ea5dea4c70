import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkerMetrics, type Readiness } from './metrics.ts';
import { metricValue } from './testing/metricValue.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

async function served(metrics: WorkerMetrics, readiness?: () => Readiness): Promise<string> {
  const server = await metrics.serve(0, { readiness });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('WorkerMetrics', () => {
  it('serves Prometheus text with the worker label and the pipeline counters', async () => {
    const metrics = new WorkerMetrics('audit-sink');
    metrics.recordsIn.inc({ topic: 'md.book-snapshots' }, 3);
    metrics.consumerLag.set({ topic: 'md.book-snapshots', partition: '2' }, 7);
    const url = await served(metrics);
    const response = await fetch(`${url}/metrics`);
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toContain('crossvenue_records_in_total{topic="md.book-snapshots",worker="audit-sink"} 3');
    expect(text).toContain('crossvenue_consumer_lag{topic="md.book-snapshots",partition="2",worker="audit-sink"} 7');
    expect((await fetch(`${url}/other`)).status).toBe(404);
  });

  it('answers /healthz while running and /readyz with 503 and the reason until ready, then 200', async () => {
    const metrics = new WorkerMetrics('positions');
    let readiness: Readiness = { ready: false, reason: 'group positions-1: exec.fills[0] is 12 records behind the end it had when assigned' };
    const url = await served(metrics, () => readiness);

    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ live: true });
    const unready = await fetch(`${url}/readyz`);
    expect(unready.status).toBe(503);
    expect(await unready.json()).toEqual(readiness);
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('crossvenue_ready{worker="positions"} 0');

    readiness = { ready: true };
    const ready = await fetch(`${url}/readyz?verbose=1`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ready: true });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain('crossvenue_ready{worker="positions"} 1');
  });

  it('is not ready when the readiness check itself fails, saying why', async () => {
    const url = await served(new WorkerMetrics('router'), () => {
      throw new Error('no consumer yet');
    });
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ready: false, reason: 'readiness check failed: no consumer yet' });
  });

  it('counts orders, acknowledgement latency and fills per venue account, and reads drift and staleness at each scrape', async () => {
    const metrics = new WorkerMetrics('ccxt-connector');
    const orders = metrics.venueOrders('sim-binance-a', 'main');
    orders.sent();
    orders.sent();
    orders.answered('acknowledged', 0.02);
    orders.unknown();
    orders.answered('rejected', 3);
    orders.fills(2);
    metrics.fillSlippage('sim-binance-a', 4.5);
    metrics.restarts.set(2);
    let discrepancies = 3;
    metrics.watchDrift(() => [{ venue: 'sim-binance-a', account: 'main', discrepancies }]);
    metrics.watchBookStaleness('sim-binance-a', () => 1_500);
    metrics.watchBookStaleness('sim-bybit', () => null);

    const labels = { venue: 'sim-binance-a', account: 'main', worker: 'ccxt-connector' };
    const value = (name: string, more: Record<string, string> = {}) => metricValue(metrics, name, { ...labels, ...more });
    expect(await value('crossvenue_orders_sent_total')).toBe(2);
    expect(await value('crossvenue_orders_acknowledged_total')).toBe(1);
    expect(await value('crossvenue_orders_rejected_total')).toBe(1);
    expect(await value('crossvenue_orders_unknown_total')).toBe(1);
    expect(await metricValue(metrics, 'crossvenue_order_ack_seconds_bucket', { venue: 'sim-binance-a', outcome: 'acknowledged', le: '0.025' })).toBe(1);
    expect(await metricValue(metrics, 'crossvenue_order_ack_seconds_count', { venue: 'sim-binance-a', outcome: 'rejected' })).toBe(1);
    expect(await value('crossvenue_fills_total')).toBe(2);
    expect(await metricValue(metrics, 'crossvenue_fill_slippage_bps_bucket', { venue: 'sim-binance-a', le: '5' })).toBe(1);
    expect(await metricValue(metrics, 'crossvenue_fill_slippage_bps_bucket', { venue: 'sim-binance-a', le: '2' })).toBe(0);
    expect(await metricValue(metrics, 'crossvenue_restarts')).toBe(2);
    expect(await value('crossvenue_reconcile_discrepancies')).toBe(3);
    expect(await metricValue(metrics, 'crossvenue_book_staleness_seconds', { venue: 'sim-binance-a' })).toBe(1.5);
    expect(await metricValue(metrics, 'crossvenue_book_staleness_seconds', { venue: 'sim-bybit' })).toBeUndefined();

    discrepancies = 0;
    expect(await value('crossvenue_reconcile_discrepancies')).toBe(0);
  });

  it('rejects with EADDRINUSE when its port is taken', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    servers.push(other);
    const { port } = other.address() as AddressInfo;
    await expect(new WorkerMetrics('gateway').serve(port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
