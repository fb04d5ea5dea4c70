import { describe, expect, it } from 'vitest';
import { mapInstrument } from './instrumentMap.ts';

describe('instrument mapping', () => {
  it('copies an instrument under its own name when the follower has no rules', () => {
    expect(mapInstrument([], 'BTC/USDT')).toBe('BTC/USDT');
  });

  it('maps by the first matching rule, a "*" base standing for any base, and leaves out what no rule names', () => {
    const rules = [
      { leader: 'BTC/USDT', follower: 'BTC/USDC' },
      { leader: '*/USDT', follower: '*/USDT:USDT' },
    ];
    expect(mapInstrument(rules, 'BTC/USDT')).toBe('BTC/USDC');
    expect(mapInstrument(rules, 'ETH/USDT')).toBe('ETH/USDT:USDT');
    expect(mapInstrument(rules, 'ETH/BTC')).toBeNull();
  });
});
