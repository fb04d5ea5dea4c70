import { describe, expect, it } from 'vitest';
import { addColumnStatements, declaredTable } from './tableColumns.ts';

const CREATE = `CREATE TABLE IF NOT EXISTS crossvenue.exec_intents
(
    event_id String,
    reroutes Nullable(String),
    avoid_venues Array(String),
    payload String
)
ENGINE = ReplacingMergeTree(inserted_at_ms)
ORDER BY event_id`;

describe('table columns', () => {
  it('reads the declared columns of a generated CREATE TABLE, and nothing of other statements', () => {
    expect(declaredTable(CREATE)).toEqual({
      table: 'crossvenue.exec_intents',
      columns: [
        { name: 'event_id', type: 'String' },
        { name: 'reroutes', type: 'Nullable(String)' },
        { name: 'avoid_venues', type: 'Array(String)' },
        { name: 'payload', type: 'String' },
      ],
    });
    expect(declaredTable('CREATE DATABASE IF NOT EXISTS crossvenue')).toBeNull();
  });

  it('adds the columns a table lacks, each after its predecessor', () => {
    const declared = declaredTable(CREATE)!;
    expect(addColumnStatements(declared, new Set(['event_id', 'payload']))).toEqual([
      'ALTER TABLE crossvenue.exec_intents ADD COLUMN reroutes Nullable(String) AFTER event_id',
      'ALTER TABLE crossvenue.exec_intents ADD COLUMN avoid_venues Array(String) AFTER reroutes',
    ]);
    expect(addColumnStatements(declared, new Set(['event_id', 'reroutes', 'avoid_venues', 'payload']))).toEqual([]);
  });
});
