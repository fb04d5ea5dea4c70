/** The servers of the local stack. */
export type ServiceName = 'kafka' | 'schema-registry' | 'clickhouse';
