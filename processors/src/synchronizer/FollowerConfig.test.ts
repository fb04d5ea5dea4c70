import { describe, expect, it } from 'vitest';
import { parseFollowers } from './FollowerConfig.ts';
import { follower } from './syncFixtures.ts';

describe('followers configuration', () => {
  it('reads a follower with its defaults', () => {
    const parsed = follower();
    expect(parsed.sizing).toEqual({ mode: 'ratio', ratio: expect.anything() });
    expect(parsed.driftThreshold.toFixed()).toBe('0.05');
    expect(parsed.orphanGraceMs).toBe(60_000);
    expect(parsed.paused).toBe(false);
    expect(parsed.instruments).toEqual([]);
  });

  it('refuses a leverage setting with the reason, rather than accepting a key that does nothing', () => {
    expect(() => follower({ leverage: 5 })).toThrow(/follower\.leverage: not supported: no connector sets a venue account's leverage/);
  });

  it('refuses unknown keys, a sizing mode without its amount, numbers for decimals and two followers of one name', () => {
    expect(() => follower({ ratio: '0.1' })).toThrow(/follower\.ratio: unknown setting/);
    expect(() => follower({ sizing: { mode: 'notional' } })).toThrow(/sizing\.notional/);
    expect(() => follower({ sizing: { mode: 'ratio', ratio: 0.1 } })).toThrow(/decimal strings/);
    expect(() => follower({ sizing: { mode: 'equity', ratio: '1' } })).toThrow(/sizing\.ratio: not a setting of sizing mode equity/);
    expect(() => follower({ sizing: { mode: 'copy' } })).toThrow(/one of ratio, equity, notional/);
    expect(() => follower({ maxPosition: '-1' })).toThrow(/maxPosition: must be positive/);
    const one = { name: 'a', leader: { venue: 'binance', account: 'l' }, portfolio: 'p', account: 'f', venue: 'okx', sizing: { mode: 'equity' } };
    expect(() => parseFollowers([one, one])).toThrow(/followers\[1\]\.name: "a" is used twice/);
  });

  it('refuses an instrument rule that changes the base asset', () => {
    expect(() => follower({ instruments: [{ leader: 'BTC/USDT', follower: 'ETH/USDT' }] })).toThrow(/changes the base asset/);
    expect(follower({ instruments: [{ leader: '*/USDT', follower: '*/USDT:USDT' }] }).instruments).toHaveLength(1);
  });
});
