import { describe, expect, it } from 'vitest';
import { chunksOf } from './chunksOf.ts';

const record = (bytes: number) => ({ topic: 't', key: null, value: Buffer.alloc(bytes) });

describe('chunksOf', () => {
  it('cuts records in order where a chunk would pass the limit, and sends a larger record alone', () => {
    const sizes = (chunks: ReturnType<typeof chunksOf>) => chunks.map((chunk) => chunk.map(({ value }) => value!.length));
    expect(sizes(chunksOf([record(4), record(4), record(4), record(9), record(2)], 8))).toEqual([[4, 4], [4], [9], [2]]);
    expect(chunksOf([], 8)).toEqual([]);
  });
});
