import { describe, expect, it } from 'vitest';
import { BookSnapshotSchema } from '../messages/BookSnapshot.ts';
import { contractViolations } from './contract.ts';

const book = { eventId: 'e', venue: 'v', instrument: 'BTC/USDT', venueSymbol: 'BTCUSDT', sequence: null, venueTimeMs: null, receivedAtMs: 1 };

describe('contractViolations', () => {
  it('accepts decimal strings and reports every other string with its path', () => {
    expect(contractViolations(BookSnapshotSchema, { ...book, bids: [{ price: '-0.5', quantity: '10' }], asks: [] })).toEqual([]);
    expect(
      contractViolations(BookSnapshotSchema, { ...book, bids: [{ price: '1e5', quantity: 'NaN' }], asks: [{ price: ' 1', quantity: '1.' }] }),
    ).toEqual([
      'bids[0].price: "1e5" is not a decimal',
      'bids[0].quantity: "NaN" is not a decimal',
      'asks[0].price: " 1" is not a decimal',
      'asks[0].quantity: "1." is not a decimal',
    ]);
  });

  it('checks a referenced type even when its definition held no value', () => {
    // `asks` refers to PriceLevel by name; `bids`, where it is defined, is empty.
    expect(contractViolations(BookSnapshotSchema, { ...book, bids: [], asks: [{ price: '1e5', quantity: 'abc' }] })).toEqual([
      'asks[0].price: "1e5" is not a decimal',
      'asks[0].quantity: "abc" is not a decimal',
    ]);
  });
});
