import { OrderEventTypeSchema, OrderStateSchema, type OrderEventType, type OrderState } from '../messages/OrderEvent.ts';
import { isTerminalOrderState } from './orderStates.ts';
import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from './InvalidTransitionError.ts';
import { ORDER_TRANSITIONS, transition } from './orderTransitions.ts';

const STATES: readonly OrderState[] = OrderStateSchema.symbols;
const EVENTS: readonly OrderEventType[] = OrderEventTypeSchema.symbols;
const ALL_PAIRS = STATES.flatMap((state) => EVENTS.map((event) => [state, event] as const));
const IN_TABLE = ALL_PAIRS.filter(([state, event]) => ORDER_TRANSITIONS[state][event] !== undefined);
const NOT_IN_TABLE = ALL_PAIRS.filter(([state, event]) => ORDER_TRANSITIONS[state][event] === undefined);

describe('the order transition table', () => {
  it('covers every (state, event) pair exactly once between the table and the errors', () => {
    expect(ALL_PAIRS).toHaveLength(STATES.length * EVENTS.length);
    expect(IN_TABLE.length + NOT_IN_TABLE.length).toBe(140);
    expect(IN_TABLE.length).toBe(68);
  });

  it.each(IN_TABLE)('%s + %s moves to the target of the table', (state, event) => {
    const target = ORDER_TRANSITIONS[state][event];
    const withoutFills = transition(state, event, false);
    const withFills = transition(state, event, true);
    if (target === 'OPEN') {
      expect(withoutFills).toEqual({ ok: true, state: 'NEW' });
      expect(withFills).toEqual({ ok: true, state: 'PARTIALLY_FILLED' });
    } else {
      expect(withoutFills).toEqual({ ok: true, state: target });
      expect(withFills).toEqual({ ok: true, state: target });
    }
  });

  it.each(NOT_IN_TABLE)('%s + %s is an InvalidTransitionError, not applied', (state, event) => {
    const result = transition(state, event, false, 'abc123');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(InvalidTransitionError);
    expect(result.error).toMatchObject({ state, event, clientOrderId: 'abc123' });
    expect(result.error.message).toBe(`order abc123: event ${event} is not allowed in state ${state}`);
  });

  it('never leaves a terminal state', () => {
    for (const [state, event] of IN_TABLE.filter(([s]) => isTerminalOrderState(s))) {
      expect(ORDER_TRANSITIONS[state][event], `${state} + ${event}`).toBe(state);
    }
  });

  it('resolves UNKNOWN only on venue evidence, and only NOT_FOUND allows a new attempt', () => {
    // There is no timer event in the enum; every way out of UNKNOWN is something the venue said.
    const exits = EVENTS.filter((event) => {
      const target = ORDER_TRANSITIONS.UNKNOWN[event];
      return target !== undefined && target !== 'UNKNOWN';
    });
    expect(exits.sort()).toEqual(['ACCEPTED', 'CANCELED', 'EXPIRED', 'FILLED', 'NOT_FOUND', 'PARTIALLY_FILLED', 'REJECTED']);
    expect(transition('UNKNOWN', 'CANCEL_REQUESTED', false)).toEqual({ ok: true, state: 'UNKNOWN' });
    expect(transition('UNKNOWN', 'CANCEL_REJECTED', false)).toEqual({ ok: true, state: 'UNKNOWN' }); // a refused cancel is no evidence either
  });

  it('keeps the unusual real edges', () => {
    expect(transition('CANCELED', 'PARTIALLY_FILLED', true)).toEqual({ ok: true, state: 'CANCELED' }); // fill after cancel ack
    expect(transition('UNKNOWN', 'FILLED', true)).toEqual({ ok: true, state: 'FILLED' }); // fill while UNKNOWN
    expect(transition('FILLED', 'CANCEL_REJECTED', true)).toEqual({ ok: true, state: 'FILLED' }); // already filled
    expect(transition('FILLED', 'ACCEPTED', true)).toEqual({ ok: true, state: 'FILLED' }); // ack after fill
    expect(transition('PENDING_AMEND', 'AMEND_REJECTED', false)).toEqual({ ok: true, state: 'NEW' }); // amend reject
    expect(transition('PENDING_CANCEL', 'EXPIRED', false)).toEqual({ ok: true, state: 'EXPIRED' }); // expire while pending cancel
  });
});
