import { seededRandom } from '@crossvenue/runtime/process';
import { describe, expect, it } from 'vitest';
import { faultSteps, pickScenarios, SCENARIOS, soakTrial } from './scenarios.ts';

describe('faultSteps', () => {
  it('puts one fault in the first 60% of the load', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const [step] = faultSteps(10, 1, seededRandom(seed));
      expect(step).toBeGreaterThanOrEqual(1);
      expect(step).toBeLessThanOrEqual(6);
    }
  });

  it("spreads a soak's faults over the load, each in the first 60% of its share, the same for the same seed", () => {
    const total = 3600;
    const steps = faultSteps(total, SCENARIOS.length, seededRandom(7));
    expect(steps).toEqual(faultSteps(total, SCENARIOS.length, seededRandom(7)));
    expect(steps).not.toEqual(faultSteps(total, SCENARIOS.length, seededRandom(8)));
    const share = total / SCENARIOS.length;
    steps.forEach((step, index) => {
      expect(step).toBeGreaterThan(Math.floor(index * share));
      expect(step).toBeLessThanOrEqual(Math.floor(index * share) + Math.floor(share * 0.6));
    });
  });

  it('gives every fault a step of its own when there are more faults than steps', () => {
    expect(new Set(faultSteps(4, 4, () => 0.99)).size).toBe(4);
  });
});

describe('soakTrial', () => {
  it("carries the scenarios' faults in the order given", () => {
    const picked = pickScenarios('clock-skew,kill-execution-restoring');
    expect(soakTrial(picked)).toEqual({ name: 'soak', what: '2 faults at random times: clock-skew, kill-execution-restoring', faults: picked.map(({ fault }) => fault) });
  });
});
