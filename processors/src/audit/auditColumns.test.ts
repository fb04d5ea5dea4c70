import { TOPICS } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { auditColumns } from './auditColumns.ts';
import { auditTable } from './auditTables.ts';

const example = (schema: unknown) => EXAMPLES.find((candidate) => candidate.schema === schema)!.value;

describe('audit columns derived from a schema', () => {
  it('flattens an array of records into parallel decimal arrays, exact to the digit', () => {
    const columns = auditColumns(TOPICS.bookSnapshots.schema);
    const book = { ...(example(TOPICS.bookSnapshots.schema) as object), bids: [{ price: '63999.990000000000000001', quantity: '0.5' }] };
    const bids = columns.find((column) => column.name === 'bids_price')!;
    expect(bids.type).toBe('Array(Decimal(38, 18))');
    expect(bids.value(book)).toEqual({ numbers: ['63999.990000000000000001'] });
  });

  it('rounds a derived decimal longer than 18 places half-even, and maps null to \\N', () => {
    const columns = auditColumns(TOPICS.positions.schema);
    const position = { ...(example(TOPICS.positions.schema) as object), averageEntryPrice: '1.0000000000000000005', markPrice: null };
    expect(columns.find((column) => column.name === 'average_entry_price')!.value(position)).toBe('1');
    expect(columns.find((column) => column.name === 'mark_price')).toMatchObject({ type: 'Nullable(Decimal(38, 18))' });
    expect(columns.find((column) => column.name === 'mark_price')!.value(position)).toBeNull();
  });

  it('flattens a nested nullable record into nullable columns', () => {
    const intent = example(TOPICS.intents.schema) as Record<string, unknown>;
    const table = auditTable(TOPICS.intents);
    const side = table.columns.find((column) => column.name === 'order_side')!;
    expect(side.type).toBe('Nullable(String)');
    expect(side.value(intent)).toBe((intent.order as { side: string }).side);
    expect(side.value({ ...intent, order: null })).toBeNull();
  });

  it('gives every catalogue table the event id first and names it after the topic', () => {
    expect(auditTable(TOPICS.orderEvents).name).toBe('crossvenue.exec_order_events');
    for (const topic of Object.values(TOPICS)) expect(auditColumns(topic.schema)[0]?.name).toBe('event_id');
  });
});
