import type { TOPICS, Codec } from '@crossvenue/schemas';
import type { ExecutionMetrics, Logger, MessageBus } from '@crossvenue/runtime';
import type { RiskLimits } from '../risk/RiskLimits.ts';

export interface ExecutionTopics {
  intents: typeof TOPICS.intents;
  bookSnapshots: typeof TOPICS.bookSnapshots;
  routeDecisions: typeof TOPICS.routeDecisions;
  orderEvents: typeof TOPICS.orderEvents;
  fills: typeof TOPICS.fills;
  controlCommands: typeof TOPICS.controlCommands;
  orderCommands: typeof TOPICS.orderCommands;
  riskDecisions: typeof TOPICS.riskDecisions;
  intentStatus: typeof TOPICS.intentStatus;
  alerts: typeof TOPICS.alerts;
  workerSnapshots: typeof TOPICS.workerSnapshots;
}

export interface ExecutionWorkerOptions {
  messages: MessageBus;
  /** Encodes the outputs, published together in one send per batch. */
  codec: Codec;
  logger: Logger;
  limits: RiskLimits;
  /**
   * The consumer group its instances share ("execution" unless given), and the stem of each
   * partition's progress group (`<name>-progress-p<n>`) and transactional id (`<name>-p<n>`).
   */
  name?: string;
  /** The catalogue topics unless given (tests and benchmarks use their own). */
  topics?: ExecutionTopics;
  clock?: () => number;
  /** How often each partition that folded something since is snapshotted; 10 s unless given (tests take them sooner). */
  snapshotIntervalMs?: number;
  /**
   * false: takes no snapshot and restores none, so every assignment folds the whole history (the
   * recovery benchmark's reference; a way past a snapshot that cannot be read). Default true.
   */
  snapshots?: boolean;
  /** Measures each live fill against the router's expected price (FillSlippage); nothing when absent. */
  metrics?: ExecutionMetrics;
}
