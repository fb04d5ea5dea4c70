import { describe, expect, it } from 'vitest';
import { tsvRow } from './tsv.ts';

describe('tsvRow', () => {
  it('writes decimals exactly as given and nulls as \\N', () => {
    expect(tsvRow(['63999.990000000000000001', null, 42])).toBe('63999.990000000000000001\t\\N\t42\n');
  });

  it('escapes tabs, newlines and backslashes so a field cannot break the row', () => {
    expect(tsvRow(['a\tb\nc\\d'])).toBe('a\\tb\\nc\\\\d\n');
  });

  it('writes string arrays quoted and numeric arrays bare, as ClickHouse array literals', () => {
    expect(tsvRow([['1.5', "it's"], { numbers: ['1.5', '-0.001'] }])).toBe("['1.5','it\\'s']\t[1.5,-0.001]\n");
  });
});
