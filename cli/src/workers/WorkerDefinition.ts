import type { Endpoints, Logger, MessageBus, WorkerMetrics } from '@crossvenue/runtime';
import type { TopicDefinition } from '@crossvenue/schemas';

export interface WorkerContext {
  messages: MessageBus;
  logger: Logger;
  endpoints: Endpoints;
  env: Record<string, string | undefined>;
  /** The worker's Prometheus registry: components report their domain metrics into it. */
  metrics: WorkerMetrics;
}

export interface RunningWorker {
  stop(): Promise<void>;
}

/** One worker that `crossvenue worker <name>` runs as its own process against Kafka. */
export interface WorkerDefinition {
  name: string;
  description: string;
  /** Settings it reads, shown by `crossvenue worker --help`. */
  settings: string[];
  /** Topics it publishes or consumes: created or verified, and their schemas registered, at start. */
  topics: TopicDefinition[];
  start(context: WorkerContext): Promise<RunningWorker>;
}
