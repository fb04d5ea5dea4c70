import { describe, expect, it } from 'vitest';
import { retryRetriable } from './retry.ts';

const failure = (retriable: boolean) => Object.assign(new Error(retriable ? 'not the coordinator' : 'bad request'), { retriable });

describe('retryRetriable', () => {
  it('tries again while the broker says the failure is retriable, then returns', async () => {
    let calls = 0;
    const result = await retryRetriable(async () => {
      calls++;
      if (calls < 3) throw failure(true);
      return 'offsets';
    });
    expect([result, calls]).toEqual(['offsets', 3]);
  });

  it('throws a failure that is not retriable at once, and a retriable one after the last attempt', async () => {
    let calls = 0;
    await expect(retryRetriable(async () => Promise.reject(failure(false)).finally(() => calls++))).rejects.toThrow('bad request');
    expect(calls).toBe(1);
    calls = 0;
    await expect(retryRetriable(async () => Promise.reject(failure(true)).finally(() => calls++), 2)).rejects.toThrow('not the coordinator');
    expect(calls).toBe(2);
  });
});
