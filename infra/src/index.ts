export { stackUp, stackDown, stackStatus, type StackStatus, type ServiceStatus, type StackOptions } from './stack/stack.ts';
export { StackError } from './stack/errors.ts';
export type { ServiceName } from './stack/service.ts';
export { applyClickHouseSchema, splitStatements } from './clickhouse/applyClickHouseSchema.ts';
