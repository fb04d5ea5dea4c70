import { InvalidInputError } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { applyIntent, emptyDesiredState } from './DesiredState.ts';
import { intentMessage } from './intentFixtures.ts';

describe('applyIntent', () => {
  it.each([
    ['a target position', intentMessage('t', {}, { kind: 'TARGET_POSITION', order: null, targetQuantity: '0.5' }), 'intent t: a TARGET_POSITION intent is held as a target'],
    ['a quote amount with no price to convert it at', intentMessage('q', { amount: '1000', amountType: 'QUOTE' }), 'intent q: its QUOTE amount cannot be converted: no venue it may use had a price'],
    ['an iceberg', intentMessage('b', { limitPrice: '100', timeInForce: 'GTC', icebergQuantity: '0.5' }), 'intent b: an intent with an iceberg quantity is held as an iceberg'],
    ['a GTD order without its time', intentMessage('g', { limitPrice: '100', timeInForce: 'GTD' }), 'intent g: expireAtMs is set exactly when timeInForce is GTD'],
    ['a GTD time past year 9999', intentMessage('y', { limitPrice: '100', timeInForce: 'GTD', expireAtMs: 9_007_199_254_740_991 }), 'intent y: expireAtMs 9007199254740991 is not epoch milliseconds up to 253402300799999 (year 9999)'],
    ['a time on a GTC order', intentMessage('t', { limitPrice: '100', timeInForce: 'GTC', expireAtMs: 1_900_000_000_000 }), 'intent t: expireAtMs is set exactly when timeInForce is GTD'],
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
      'intent i1: an intent with an iceberg quantity is held as an iceberg',
    );
    expect(state.intents.get('i1')).toMatchObject({ version: 0, order: { icebergQuantity: null } });
  });

  describe('an amount in the quote currency', () => {
    const conversion = { quoteAmount: '1000', price: '40000', baseAmount: '0.025' };
    const place = (amount = '1000') => intentMessage('q', { amount, amountType: 'QUOTE', limitPrice: '41000', timeInForce: 'GTC' });

    it('is held as the base amount its route decision converted it to, with the quote amount it gave', () => {
      const intent = applyIntent(emptyDesiredState(), place(), conversion).intents.get('q')!;
      expect(intent.order.amount.toString()).toBe('0.025');
      expect(intent.order.amountType).toBe('BASE');
      expect(intent.quoteAmount?.toString()).toBe('1000');
    });

    it('refuses a conversion of another amount than the intent gave', () => {
      expect(() => applyIntent(emptyDesiredState(), place('999'), conversion)).toThrow('intent q: its route decision converted 1000, not the amount 999 it gave');
    });

    it('keeps its base amount when a MODIFY changes other terms, and refuses a new QUOTE amount', () => {
      const state = applyIntent(emptyDesiredState(), place(), conversion);
      const modify = (amount: string) => intentMessage('q', { amount, amountType: 'QUOTE', limitPrice: '42000', timeInForce: 'GTC' }, { action: 'MODIFY', eventId: `m-${amount}` });
      // The router converts the MODIFY at its own book; the amount fixed at the PLACE stands.
      applyIntent(state, modify('1000'), { quoteAmount: '1000', price: '50000', baseAmount: '0.02' });
      expect(state.intents.get('q')).toMatchObject({ version: 1, quoteAmount: expect.anything() });
      expect(state.intents.get('q')!.order.amount.toString()).toBe('0.025');
      expect(state.intents.get('q')!.order.limitPrice?.toString()).toBe('42000');
      expect(() => applyIntent(state, modify('1200'), null)).toThrow("intent q: a MODIFY cannot change an intent's QUOTE amount (it was 1000); cancel it and place a new one");
      expect(state.intents.get('q')!.version).toBe(1);
    });
  });

  describe('DAY and GTD', () => {
    const DAY_MS = 86_400_000;
    const placedAt = 20_000 * DAY_MS + 3_600_000;
    const place = (terms: Parameters<typeof intentMessage>[1]) => intentMessage('x', { limitPrice: '100', ...terms }, { createdAtMs: placedAt });

    it('ends GTD at its time and DAY at the next 00:00 UTC after the PLACE, which a MODIFY keeping DAY keeps', () => {
      expect(applyIntent(emptyDesiredState(), place({ timeInForce: 'GTD', expireAtMs: placedAt + 5_000 })).intents.get('x')!.expiresAtMs).toBe(placedAt + 5_000);
      const day = applyIntent(emptyDesiredState(), place({ timeInForce: 'DAY' }));
      expect(day.intents.get('x')!.expiresAtMs).toBe(20_001 * DAY_MS);
      applyIntent(day, intentMessage('x', { limitPrice: '101', timeInForce: 'DAY' }, { action: 'MODIFY', eventId: 'm', createdAtMs: placedAt + DAY_MS }));
      expect(day.intents.get('x')!.expiresAtMs).toBe(20_001 * DAY_MS);
      expect(applyIntent(emptyDesiredState(), place({ timeInForce: 'GTC' })).intents.get('x')!.expiresAtMs).toBeNull();
    });

    it('expires an active intent whose time is up, and leaves one a MODIFY gave more time, or one canceled first', () => {
      const expire = (createdAtMs: number) => intentMessage('x', {}, { action: 'EXPIRE', order: null, eventId: `x:expire:${createdAtMs}`, createdAtMs });
      const state = applyIntent(emptyDesiredState(), place({ timeInForce: 'GTD', expireAtMs: placedAt + 5_000 }));
      applyIntent(state, intentMessage('x', { limitPrice: '100', timeInForce: 'GTD', expireAtMs: placedAt + 9_000 }, { action: 'MODIFY', eventId: 'm', createdAtMs: placedAt + 1_000 }));
      applyIntent(state, expire(placedAt + 5_000));
      expect(state.intents.get('x')!.status).toBe('ACTIVE');
      applyIntent(state, expire(placedAt + 9_000));
      expect(state.intents.get('x')!.status).toBe('EXPIRED');
      expect(() => applyIntent(state, intentMessage('x', { limitPrice: '100', timeInForce: 'GTC' }, { action: 'MODIFY', eventId: 'm2' }))).toThrow('intent x: MODIFY of an intent that is expired');
      const canceled = applyIntent(emptyDesiredState(), place({ timeInForce: 'DAY' }));
      applyIntent(canceled, intentMessage('x', {}, { action: 'CANCEL', order: null, eventId: 'c' }));
      applyIntent(canceled, expire(21_000 * DAY_MS));
      expect(canceled.intents.get('x')!.status).toBe('CANCELED');
    });
  });
});
