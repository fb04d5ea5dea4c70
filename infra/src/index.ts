export { stackUp, stackDown, stackStatus, type StackStatus } from './stack/stack.ts';
export { StackError } from './stack/errors.ts';
export { applyClickHouseSchema, schemaFiles, splitStatements } from './clickhouse/applyClickHouseSchema.ts';
export { renderClickhouseConfig } from './stack/clickhouse.ts';
export { PrivateClickhouse } from './stack/privateClickhouse.ts';
export { listReports, renderReport, runReport, ReportError } from './clickhouse/reports.ts';
export { startSecureKafka, stopSecureKafka, type SecureKafka, type SecureKafkaSettings } from './stack/secureKafka.ts';
export { haveCurrentEngine, runOnCurrentEngine, type CurrentEngineResult } from './clickhouse/currentEngine.ts';
