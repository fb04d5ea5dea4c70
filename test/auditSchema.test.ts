import { readFileSync } from 'node:fs';
import { auditSchemaSql } from '@crossvenue/processors';
import { AUDITED_TOPICS } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';

describe('the committed ClickHouse audit DDL', () => {
  it('is what the topic schemas generate (run `npx crossvenue audit ddl --write` after changing a schema)', () => {
    const committed = readFileSync(new URL('../infra/clickhouse/001_audit_tables.sql', import.meta.url), 'utf8');
    expect(committed).toBe(auditSchemaSql(AUDITED_TOPICS));
  });
});
