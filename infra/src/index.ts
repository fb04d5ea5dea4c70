export { stackUp, stackDown, stackStatus, type StackStatus } from './stack/stack.ts';
export { StackError } from './stack/errors.ts';
export { applyClickHouseSchema } from './clickhouse/applyClickHouseSchema.ts';
export { renderClickhouseConfig } from './stack/clickhouse.ts';
export { listReports, runReport, ReportError } from './clickhouse/reports.ts';
export { startSecureKafka, stopSecureKafka, type SecureKafka, type SecureKafkaSettings } from './stack/secureKafka.ts';
