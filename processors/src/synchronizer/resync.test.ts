import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { driftOf, resyncDecision } from './resync.ts';

const d = (value: string) => new Decimal(value);

describe('re-sync decisions', () => {
  it('leaves a drift within the threshold alone', () => {
    expect(resyncDecision(d('1'), d('0.96'), d('0.05')).inLine).toBe(true);
    expect(resyncDecision(d('1'), d('1.05'), d('0.05')).inLine).toBe(true);
  });

  it('corrects a drift beyond it, by the signed gap', () => {
    const decision = resyncDecision(d('1'), d('0.5'), d('0.05'));
    expect(decision.inLine).toBe(false);
    expect(!decision.inLine && decision.correction.toFixed()).toBe('0.5');
    const short = resyncDecision(d('-1'), d('0'), d('0.05'));
    expect(!short.inLine && short.correction.toFixed()).toBe('-1');
  });

  it('corrects any position held while the target is flat (a manual trade), and measures its drift absolutely', () => {
    const decision = resyncDecision(d('0'), d('0.2'), d('0.05'));
    expect(!decision.inLine && decision.correction.toFixed()).toBe('-0.2');
    expect(driftOf(d('0'), d('0.2')).toFixed()).toBe('0.2');
    expect(driftOf(d('2'), d('1.5')).toFixed()).toBe('0.25');
  });
});
