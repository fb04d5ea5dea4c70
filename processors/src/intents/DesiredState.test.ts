import { InvalidInputError } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { applyIntent, emptyDesiredState } from './DesiredState.ts';
import { intentMessage } from './intentFixtures.ts';

describe('applyIntent', () => {
  it.each([
    ['a target position', intentMessage('t', {}, { kind: 'TARGET_POSITION', order: null, targetQuantity: '0.5' }), 'intent t: kind: TARGET_POSITION intents are not executed yet'],
    ['a quote amount', intentMessage('q', { amountType: 'QUOTE' }), 'intent q: order.amountType: QUOTE amounts are not executed yet'],
    ['a stop', intentMessage('s', { limitPrice: '100', trigger: { type: 'STOP', triggerPrice: '99' } }), 'intent s: order.trigger: conditional'],
    ['an iceberg', intentMessage('b', { limitPrice: '100', timeInForce: 'GTC', icebergQuantity: '0.5' }), 'intent b: order.icebergQuantity: iceberg orders'],
    ['a DAY order', intentMessage('d', { limitPrice: '100', timeInForce: 'DAY' }), 'intent d: order.timeInForce: DAY is not executed yet'],
    ['a GTD order', intentMessage('g', { limitPrice: '100', timeInForce: 'GTD', expireAtMs: 1_900_000_000_000 }), 'intent g: order.timeInForce: GTD is not executed yet'],
    ['an ORDER without its order', intentMessage('n', {}, { order: null }), 'intent n: PLACE of an ORDER intent without an order'],
    ['a MODIFY of an unknown intent', intentMessage('m', {}, { action: 'MODIFY' }), 'intent m: MODIFY of an intent that is unknown'],
  ])('refuses %s with one line naming the intent, leaving the state as it was', (_name, message, error) => {
    const state = emptyDesiredState();
    expect(() => applyIntent(state, message)).toThrow(InvalidInputError);
    expect(() => applyIntent(state, message)).toThrow(error);
    expect(state.intents.size).toBe(0);
  });

  it('keeps the terms in force when a MODIFY asks for what is not executed', () => {
    const state = applyIntent(emptyDesiredState(), intentMessage('i1', { limitPrice: '100', timeInForce: 'GTC' }));
    expect(() => applyIntent(state, intentMessage('i1', { limitPrice: '100', timeInForce: 'GTC', icebergQuantity: '0.5' }, { action: 'MODIFY' }))).toThrow(
      'intent i1: order.icebergQuantity',
    );
    expect(state.intents.get('i1')).toMatchObject({ version: 0, order: { icebergQuantity: null } });
  });
});
