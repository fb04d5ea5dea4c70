import { intentStatusEventId, type IntentState, type IntentStatus } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { hasEnded, reachedOrEnded, reachedStatus, StatusWatch } from './StatusWatch.ts';

function status(intentId: string, n: number, state: IntentState, leavesQuantity = '0', reason: string | null = null): IntentStatus {
  return {
    eventId: intentStatusEventId(intentId, n),
    intentId,
    portfolio: 'demo',
    instrument: 'BTC/USDT',
    side: 'BUY',
    source: 'STRATEGY',
    state,
    rule: state === 'REJECTED' ? 'some_rule' : null,
    reason,
    requestedQuantity: '0.01',
    filledQuantity: '0',
    leavesQuantity,
    averagePrice: null,
    fees: [],
    algo: null,
    updatedAtMs: n,
  };
}

describe('when a status ends its intent', () => {
  it('ends an order DONE, CANCELED, EXPIRED or REJECTED', () => {
    const ends = (['ACCEPTED', 'WORKING', 'PARTIALLY_FILLED', 'DONE', 'CANCELED', 'EXPIRED', 'REJECTED'] as const).filter((state) => hasEnded(status('o', 0, state), 'ORDER'));
    expect(ends).toEqual(['DONE', 'CANCELED', 'EXPIRED', 'REJECTED']);
  });

  it('ends a target only CANCELED or REJECTED on arrival: its DONE is held, and a REJECTED off its target is retried', () => {
    expect(hasEnded(status('t', 3, 'DONE'), 'TARGET_POSITION')).toBe(false);
    expect(hasEnded(status('t', 4, 'REJECTED', '0.01'), 'TARGET_POSITION')).toBe(false);
    expect(hasEnded(status('t', 0, 'REJECTED', '0'), 'TARGET_POSITION')).toBe(true);
    expect(hasEnded(status('t', 5, 'CANCELED'), 'TARGET_POSITION')).toBe(true);
  });
});

describe('StatusWatch', () => {
  it('resolves final() of a target on CANCELED, past its DONE', async () => {
    const watch = new StatusWatch();
    const final = watch.until('t', (seen) => hasEnded(seen, 'TARGET_POSITION'), 1_000, 'no final status');
    for (const [n, state] of [[0, 'WORKING'], [1, 'DONE'], [2, 'PARTIALLY_FILLED'], [3, 'DONE'], [4, 'CANCELED']] as const) watch.add(status('t', n, state, state === 'DONE' ? '0' : '0.01'));
    expect(await final).toMatchObject({ state: 'CANCELED', eventId: 't:status:4' });
  });

  it('reaches a target on its DONE, even one read before the wait', async () => {
    const watch = new StatusWatch();
    watch.add(status('t', 0, 'WORKING', '0.01'));
    watch.add(status('t', 1, 'DONE'));
    expect(reachedStatus(await watch.until('t', reachedOrEnded, 1_000, 'not DONE at its target'))).toMatchObject({ state: 'DONE' });
  });

  it('rejects reached() of a target refused on arrival with why, and a wait that times out with the last state', async () => {
    const watch = new StatusWatch();
    watch.add(status('t', 0, 'REJECTED', '0', 'a TARGET_POSITION intent needs targetQuantity'));
    expect(() => reachedStatus(watch.latest('t')!)).toThrow('intent t: ended REJECTED before reaching its target: a TARGET_POSITION intent needs targetQuantity');
    watch.add(status('u', 0, 'WORKING', '0.01'));
    await expect(watch.until('u', reachedOrEnded, 20, 'not DONE at its target')).rejects.toThrow('intent u: not DONE at its target within 20 ms (last: WORKING)');
  });
});
