import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear: venue and infrastructure credentials must never reach
 * a log line, whatever object they travel in (config dumps, request options, error contexts,
 * environments). Three levels deep covers `{ endpoints: { kafkaSecurity: { sasl: { password } } } }`.
 */
const SECRET_KEYS = [
  'apiKey',
  'apiSecret',
  'secret',
  'password',
  'passphrase',
  'privateKey',
  'authorization',
  'x-api-key',
  'VENUE_API_KEY',
  'VENUE_API_SECRET',
  'VENUE_API_PASSPHRASE',
  'VENUE_PRIVATE_KEY',
  'KAFKA_SASL_PASSWORD',
  'SCHEMA_REGISTRY_PASSWORD',
  'CLICKHOUSE_PASSWORD',
];
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.*.${key}`),
  'headers["x-mbx-apikey"]',
  '*.headers["x-mbx-apikey"]',
];

export interface LoggerOptions {
  level?: string;
  /** Where JSON lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/** One pino JSON logger per component; the component name is on every line. */
export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  const settings = { base: { component }, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
