import { describe, expect, it } from 'vitest';
import { AlertGate } from './AlertGate.ts';
import { alertOf } from './notifierFixtures.ts';

const MINUTE = 60_000;

function gate() {
  let nowMs = 1_000_000;
  return { gate: new AlertGate(5 * MINUTE, () => nowMs), advance: (ms: number) => (nowMs += ms), now: () => nowMs };
}

describe('AlertGate', () => {
  it('says an alert read again under the same event id once, whenever it comes back', () => {
    const { gate: g, advance } = gate();
    expect(g.admit(alertOf({ eventId: 'a1' }), 'drift')).toEqual({ send: true, folded: null });
    expect(g.admit(alertOf({ eventId: 'a1' }), 'drift')).toEqual({ send: false, why: 'redelivered' });
    advance(30 * MINUTE);
    expect(g.admit(alertOf({ eventId: 'a1' }), 'drift')).toEqual({ send: false, why: 'redelivered' });
  });

  it('folds repeats of one condition within the window and counts them in its next message', () => {
    const { gate: g, advance, now } = gate();
    const firstAt = now();
    expect(g.admit(alertOf({ eventId: 'a1' }), 'drift').send).toBe(true);
    advance(MINUTE);
    expect(g.admit(alertOf({ eventId: 'a2' }), 'drift')).toEqual({ send: false, why: 'folded' });
    advance(3 * MINUTE);
    expect(g.admit(alertOf({ eventId: 'a3' }), 'drift')).toEqual({ send: false, why: 'folded' });
    advance(MINUTE);
    // 5 minutes after the first message: the window is over; this one goes and says what it folded.
    expect(g.admit(alertOf({ eventId: 'a4' }), 'drift')).toEqual({ send: true, folded: { count: 2, sinceMs: firstAt } });
    advance(MINUTE);
    expect(g.admit(alertOf({ eventId: 'a5' }), 'drift')).toEqual({ send: false, why: 'folded' });
  });

  it('keeps conditions apart by code, venue, account and subject', () => {
    const { gate: g } = gate();
    const verdicts = [
      alertOf({ eventId: 'b1' }),
      alertOf({ eventId: 'b2', subject: 'ETH/USDT' }),
      alertOf({ eventId: 'b3', account: 'hedge' }),
      alertOf({ eventId: 'b4', venue: 'okx' }),
      alertOf({ eventId: 'b5', code: 'BALANCE_MISMATCH' }),
      alertOf({ eventId: 'b6', message: 'the same condition said in other words' }),
    ].map((alert) => g.admit(alert, 'drift').send);
    expect(verdicts).toEqual([true, true, true, true, true, false]);
  });

  it('never folds kill switches: an engage, a release and an engage again are each said', () => {
    const { gate: g, advance } = gate();
    const sent = ['k1', 'k2', 'k3'].map((eventId) => {
      advance(1_000);
      return g.admit(alertOf({ eventId, code: 'KILL_SWITCH', subject: 'global', venue: null, account: null }), 'kill switch').send;
    });
    expect(sent).toEqual([true, true, true]);
  });
});
