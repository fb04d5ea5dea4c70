import { describe, expect, it } from 'vitest';
import { alterColumnStatements, declaredTable } from './tableColumns.ts';

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
    const existing = (...names: string[]) => new Map(names.map((name) => [name, declared.columns.find((column) => column.name === name)!.type]));
    expect(alterColumnStatements(declared, existing('event_id', 'payload'))).toEqual([
      'ALTER TABLE crossvenue.exec_intents ADD COLUMN reroutes Nullable(String) AFTER event_id',
      'ALTER TABLE crossvenue.exec_intents ADD COLUMN avoid_venues Array(String) AFTER reroutes',
    ]);
    expect(alterColumnStatements(declared, existing('event_id', 'reroutes', 'avoid_venues', 'payload'))).toEqual([]);
  });

  it('modifies a column whose declared type changed (a record made nullable)', () => {
    const declared = declaredTable(CREATE)!;
    const existing = new Map(declared.columns.map(({ name, type }) => [name, name === 'reroutes' ? 'String' : type]));
    expect(alterColumnStatements(declared, existing)).toEqual(['ALTER TABLE crossvenue.exec_intents MODIFY COLUMN reroutes Nullable(String)']);
  });
});
