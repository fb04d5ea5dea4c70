import { describe, expect, it } from 'vitest';
import { formatFollower, parseFollower, parseFollowers } from './FollowerConfig.ts';
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

  it('takes a whole leverage on named derivatives, and refuses it on spot, on a "*" rule, without instruments or as a fraction', () => {
    const perpetual = [{ leader: 'BTC/USDT', follower: 'BTC/USDT:USDT' }];
    expect(follower({ leverage: 5, instruments: perpetual }).leverage).toBe(5);
    expect(follower({ instruments: perpetual }).leverage).toBeNull();
    expect(() => follower({ leverage: 5, instruments: [{ leader: 'BTC/USDT', follower: 'BTC/USDT' }] })).toThrow(/follower\.leverage: BTC\/USDT is spot, which has no leverage/);
    expect(() => follower({ leverage: 5, instruments: [{ leader: '*/USDT', follower: '*/USDT:USDT' }] })).toThrow(/follower\.leverage: is set per instrument: list each/);
    expect(() => follower({ leverage: 5 })).toThrow(/follower\.leverage: needs instruments/);
    expect(() => follower({ leverage: 2.5, instruments: perpetual })).toThrow(/follower\.leverage: a whole number, 1 or more, got 2.5/);
    expect(() => follower({ leverage: '5', instruments: perpetual })).toThrow(/follower\.leverage: a whole number/);
  });

  it('writes a follower back in the config file\'s shape, which reads back to the same follower', () => {
    const parsed = follower({ leverage: 3, maxPosition: '2', instruments: [{ leader: 'BTC/USDT', follower: 'BTC/USDT:USDT' }] });
    const written = formatFollower(parsed);
    expect(written).toMatchObject({ leverage: 3, maxPosition: '2', driftThreshold: '0.05', sizing: { mode: 'ratio' } });
    expect(formatFollower(parseFollower(JSON.parse(JSON.stringify(written)), 'api'))).toEqual(written);
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
