/** The servers of the local stack; `kafka-secure` is the SASL_SSL broker started on its own (secureKafka.ts). */
export type ServiceName = 'kafka' | 'schema-registry' | 'clickhouse' | 'kafka-secure';
