import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics every worker exposes: records in and out, errors, dead letters, consumer
 * lag and handler latency, labelled by worker and topic.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly recordsIn: Counter<'topic'>;
  readonly recordsOut: Counter<'topic'>;
  readonly errors: Counter<'topic' | 'kind'>;
  readonly deadLetters: Counter<'topic'>;
  readonly consumerLag: Gauge<'topic' | 'partition'>;
  readonly handlerSeconds: Histogram<'topic'>;

  constructor(worker: string) {
    this.registry.setDefaultLabels({ worker });
    collectDefaultMetrics({ register: this.registry, prefix: 'crossvenue_process_' });
    const registers = [this.registry];
    this.recordsIn = new Counter({ name: 'crossvenue_records_in_total', help: 'Records consumed', labelNames: ['topic'], registers });
    this.recordsOut = new Counter({ name: 'crossvenue_records_out_total', help: 'Records published', labelNames: ['topic'], registers });
    this.errors = new Counter({ name: 'crossvenue_errors_total', help: 'Handler and decode errors', labelNames: ['topic', 'kind'], registers });
    this.deadLetters = new Counter({ name: 'crossvenue_dead_letters_total', help: 'Records sent to a dead-letter topic', labelNames: ['topic'], registers });
    this.consumerLag = new Gauge({ name: 'crossvenue_consumer_lag', help: 'Records behind the partition end', labelNames: ['topic', 'partition'], registers });
    this.handlerSeconds = new Histogram({
      name: 'crossvenue_handler_seconds',
      help: 'Time to handle one batch',
      labelNames: ['topic'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
  }

  /** Serves `/metrics` on loopback; port 0 picks a free port (see the returned address). */
  async serve(port: number, host = '127.0.0.1'): Promise<Server> {
    const server = createServer(async (request, response) => {
      if (request.url !== '/metrics') {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': this.registry.contentType });
      response.end(await this.registry.metrics());
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    return server;
  }
}
