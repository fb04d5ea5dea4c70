export { stackUp, stackDown, stackStatus, type StackStatus, type ServiceStatus, type StackOptions } from './stack/stack.ts';
export { StackError } from './stack/errors.ts';
export type { ServiceName } from './stack/service.ts';
export { applyClickHouseSchema, splitStatements } from './clickhouse/applyClickHouseSchema.ts';
export { renderClickhouseConfig } from './stack/clickhouse.ts';
export { listReports, renderReport, runReport, ReportError, type Report } from './clickhouse/reports.ts';
