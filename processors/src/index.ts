export { BookSnapshotAuditSink, AUDIT_DATABASE } from './audit/BookSnapshotAuditSink.ts';
export { tsvRow, type TsvValue, type DecimalArray } from './audit/tsv.ts';
