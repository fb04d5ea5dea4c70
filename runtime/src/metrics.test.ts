import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WorkerMetrics } from './metrics.ts';

describe('WorkerMetrics', () => {
  it('serves Prometheus text with the worker label and the pipeline counters', async () => {
    const metrics = new WorkerMetrics('audit-sink');
    metrics.recordsIn.inc({ topic: 'md.book-snapshots' }, 3);
    metrics.consumerLag.set({ topic: 'md.book-snapshots', partition: '2' }, 7);
    const server = await metrics.serve(0);
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      const text = await response.text();
      expect(response.status).toBe(200);
      expect(text).toContain('crossvenue_records_in_total{topic="md.book-snapshots",worker="audit-sink"} 3');
      expect(text).toContain('crossvenue_consumer_lag{topic="md.book-snapshots",partition="2",worker="audit-sink"} 7');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
