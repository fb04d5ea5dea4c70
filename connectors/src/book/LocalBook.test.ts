import { describe, expect, it } from 'vitest';
import { LocalBook } from './LocalBook.ts';

describe('LocalBook', () => {
  it('keeps bids high to low and asks low to high, by decimal value not by text', () => {
    const book = new LocalBook();
    book.apply('bids', [['9.5', '1'], ['10.25', '2'], ['10.3', '3']]);
    book.apply('asks', [['11', '1'], ['10.9', '2'], ['100', '3']]);
    expect(book.top(3)).toEqual({ bids: [['10.3', '3'], ['10.25', '2'], ['9.5', '1']], asks: [['10.9', '2'], ['11', '1'], ['100', '3']] });
  });

  it('replaces a level, keeps the venue\'s text, and removes a level whose quantity is zero in any spelling', () => {
    const book = new LocalBook();
    book.apply('bids', [['1.10', '5'], ['1.00', '1']]);
    book.set('bids', '1.1', '6.000');
    book.set('bids', '1.00', '0.00000000');
    expect(book.top(5).bids).toEqual([['1.1', '6.000']]);
  });

  it('hands out each level once per change: a later change never alters what an earlier top() returned', () => {
    const book = new LocalBook();
    book.apply('asks', [['10', '1'], ['11', '2']]);
    const before = book.top(2);
    book.set('asks', '10', '3');
    const after = book.top(2);
    expect(before.asks).toEqual([['10', '1'], ['11', '2']]);
    expect(after.asks).toEqual([['10', '3'], ['11', '2']]);
    expect(after.asks[1]).toBe(before.asks[1]);
  });

  it('knows a crossed book', () => {
    const book = new LocalBook();
    book.apply('bids', [['10', '1']]);
    book.apply('asks', [['10.5', '1']]);
    expect(book.crossed()).toBe(false);
    book.set('bids', '10.5', '1');
    expect(book.crossed()).toBe(true);
  });
});
