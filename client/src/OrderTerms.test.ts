import { LocalCodec, TOPICS, type Intent } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { changeIntent, placeIntent, targetIntent, type OrderTerms } from './OrderTerms.ts';

const sender = { source: 'STRATEGY', requestedBy: 'terms-test' } as const;
const base: OrderTerms = { portfolio: 'demo', instrument: 'BTC/USDT', side: 'BUY', amount: '0.02' };

/** The message as a consumer reads it off the topic: encoded and decoded with the Intent schema. */
async function onTheWire(intent: Intent): Promise<unknown> {
  const codec = new LocalCodec();
  await codec.register([TOPICS.intents]);
  return codec.decode(TOPICS.intents, await codec.encode(TOPICS.intents, intent));
}

describe('the intents the client builds', () => {
  it('leaves trigger, iceberg and algo null on a plain order, the defaults of docs/strategies.md filled in', async () => {
    const intent = placeIntent(base, sender, 'plain-1', 1_000);
    expect(intent).toMatchObject({ intentId: 'plain-1', action: 'PLACE', kind: 'ORDER', account: null, venues: [], targetQuantity: null, algo: null, source: 'STRATEGY', requestedBy: 'terms-test', createdAtMs: 1_000 });
    expect(intent.order).toEqual({ side: 'BUY', amount: '0.02', amountType: 'BASE', limitPrice: null, timeInForce: 'GTC', expireAtMs: null, postOnly: false, reduceOnly: false, trigger: null, icebergQuantity: null });
    expect(await onTheWire(intent)).toEqual(intent);
  });

  it('carries a stop trigger and an iceberg quantity in the order', async () => {
    const stop = placeIntent({ ...base, side: 'SELL', trigger: { type: 'STOP', triggerPrice: '60000.5' } }, sender);
    expect(stop.order).toMatchObject({ side: 'SELL', trigger: { type: 'STOP', triggerPrice: '60000.5' }, icebergQuantity: null });
    const iceberg = placeIntent({ ...base, amount: '1', limitPrice: '62000', icebergQuantity: '0.1' }, sender);
    expect(iceberg.order).toMatchObject({ limitPrice: '62000', icebergQuantity: '0.1', trigger: null });
    expect(iceberg.algo).toBeNull();
    expect(await onTheWire(stop)).toEqual(stop);
    expect(await onTheWire(iceberg)).toEqual(iceberg);
  });

  it('carries a TWAP as the intent algo, beside its order', async () => {
    const twap = placeIntent({ ...base, algo: { type: 'TWAP', durationMs: 4_000, sliceIntervalMs: 1_000 } }, sender);
    expect(twap).toMatchObject({ kind: 'ORDER', algo: { type: 'TWAP', durationMs: 4_000, sliceIntervalMs: 1_000 }, order: { amount: '0.02', timeInForce: 'GTC', trigger: null, icebergQuantity: null } });
    expect(await onTheWire(twap)).toEqual(twap);
  });

  it('makes a target a TARGET_POSITION with no order, its signed quantity, account and venues', async () => {
    const target = targetIntent({ portfolio: 'demo', instrument: 'BTC/USDT', targetQuantity: '-0.5', account: 'sim-a', venues: ['simbinance'] }, sender, 'target-1', 2_000);
    expect(target).toMatchObject({ intentId: 'target-1', action: 'PLACE', kind: 'TARGET_POSITION', order: null, targetQuantity: '-0.5', algo: null, account: 'sim-a', venues: ['simbinance'], group: null, reroutes: null, avoidVenues: [], flattens: false, createdAtMs: 2_000 });
    expect(targetIntent({ portfolio: 'demo', instrument: 'BTC/USDT', targetQuantity: '0' }, sender)).toMatchObject({ account: null, venues: [], targetQuantity: '0' });
    expect(await onTheWire(target)).toEqual(target);
  });

  it('modifies a target by its quantity and an order by its terms, with fresh event ids', () => {
    const target = targetIntent({ portfolio: 'demo', instrument: 'BTC/USDT', targetQuantity: '0.01' }, sender);
    const moved = changeIntent(target, { targetQuantity: '0.02' }, 3_000);
    expect(moved).toMatchObject({ intentId: target.intentId, action: 'MODIFY', kind: 'TARGET_POSITION', order: null, targetQuantity: '0.02', createdAtMs: 3_000 });
    expect(moved.eventId).not.toBe(target.eventId);
    const twap = placeIntent({ ...base, limitPrice: '70000', algo: { type: 'TWAP', durationMs: 4_000, sliceIntervalMs: 1_000 } }, sender);
    expect(changeIntent(twap, { limitPrice: '70001' })).toMatchObject({ action: 'MODIFY', order: { amount: '0.02', limitPrice: '70001' }, algo: twap.algo, targetQuantity: null });
  });

  it('cancels either kind with no order, and refuses a change of the other kind', () => {
    const target = targetIntent({ portfolio: 'demo', instrument: 'BTC/USDT', targetQuantity: '0.01' }, sender, 'target-2');
    const order = placeIntent(base, sender, 'order-2');
    expect(changeIntent(target, null)).toMatchObject({ action: 'CANCEL', kind: 'TARGET_POSITION', order: null });
    expect(changeIntent(order, null)).toMatchObject({ action: 'CANCEL', kind: 'ORDER', order: null });
    expect(() => changeIntent(target, { amount: '1' })).toThrow('intent target-2 is a TARGET_POSITION: change its targetQuantity');
    expect(() => changeIntent(order, { targetQuantity: '1' })).toThrow('intent order-2 is an order: change its amount or limitPrice, not a targetQuantity');
  });
});
