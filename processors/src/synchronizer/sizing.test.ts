import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { accountEquity, capPosition, impliedTarget, targetAfter, type LeaderMove, type Sized } from './sizing.ts';

const d = (value: string) => new Decimal(value);
const move = (overrides: Partial<Record<keyof LeaderMove, string | null>>): LeaderMove => ({
  quantity: d(overrides.quantity ?? '1'),
  price: d(overrides.price ?? '50000'),
  leaderBefore: d(overrides.leaderBefore ?? '0'),
  targetBefore: d(overrides.targetBefore ?? '0'),
  equityRatio: overrides.equityRatio === null ? null : d(overrides.equityRatio ?? '0.25'),
});
const target = (sized: Sized) => ('target' in sized ? sized.target.toFixed() : sized.refused);

describe('sizing a follower', () => {
  it('ratio: a fixed fraction of each leader fill, both ways', () => {
    const ratio = { mode: 'ratio' as const, ratio: d('0.1') };
    expect(target(targetAfter(ratio, move({ quantity: '2' })))).toBe('0.2');
    expect(target(targetAfter(ratio, move({ quantity: '-0.5', leaderBefore: '2', targetBefore: '0.2' })))).toBe('0.15');
  });

  it('equity: the leader fill times follower equity / leader equity; refused until both are known', () => {
    expect(target(targetAfter({ mode: 'equity' }, move({ quantity: '2', equityRatio: '0.25' })))).toBe('0.5');
    expect(target(targetAfter({ mode: 'equity' }, move({ equityRatio: null })))).toMatch(/equity .* not known/);
  });

  it('notional: opens and adds a fixed notional, reduces in proportion, is flat with the leader, and flips to the notional', () => {
    const notional = { mode: 'notional' as const, notional: d('1000') };
    expect(target(targetAfter(notional, move({ quantity: '1', price: '50000' })))).toBe('0.02');
    expect(target(targetAfter(notional, move({ quantity: '1', price: '40000', leaderBefore: '1', targetBefore: '0.02' })))).toBe('0.045');
    // The leader sells half: the follower keeps half of its position.
    expect(target(targetAfter(notional, move({ quantity: '-1', leaderBefore: '2', targetBefore: '0.045' })))).toBe('0.0225');
    expect(target(targetAfter(notional, move({ quantity: '-2', leaderBefore: '2', targetBefore: '0.045' })))).toBe('0');
    expect(target(targetAfter(notional, move({ quantity: '-3', price: '50000', leaderBefore: '2', targetBefore: '0.045' })))).toBe('-0.02');
  });

  it('implies a target from the leader position for re-sync; notional keeps its own unless the leader is flat', () => {
    expect(impliedTarget({ mode: 'ratio', ratio: d('0.1') }, d('-3'), d('9'), null)!.toFixed()).toBe('-0.3');
    expect(impliedTarget({ mode: 'equity' }, d('2'), d('9'), d('0.5'))!.toFixed()).toBe('1');
    expect(impliedTarget({ mode: 'equity' }, d('2'), d('9'), null)).toBeNull();
    expect(impliedTarget({ mode: 'notional', notional: d('100') }, d('2'), d('0.03'), null)!.toFixed()).toBe('0.03');
    expect(impliedTarget({ mode: 'notional', notional: d('100') }, d('0'), d('0.03'), null)!.toFixed()).toBe('0');
  });

  it('caps the target at the follower\'s max position on either side', () => {
    expect(capPosition(d('3'), d('2')).toFixed()).toBe('2');
    expect(capPosition(d('-3'), d('2')).toFixed()).toBe('-2');
    expect(capPosition(d('1'), null).toFixed()).toBe('1');
  });

  it('values an account\'s balances at the mids, and says so when an asset has no price', () => {
    const balances = [
      { asset: 'USDT', free: '1000', locked: '0', total: '1000' },
      { asset: 'BTC', free: '0.5', locked: '0', total: '0.5' },
      { asset: 'DOGE', free: '0', locked: '0', total: '0' },
    ];
    const equity = accountEquity(balances, 'USDT', (asset) => (asset === 'BTC' ? d('40000') : null));
    expect('value' in equity && equity.value.toFixed()).toBe('21000');
    expect(accountEquity(balances, 'USDT', () => null)).toEqual({ unknown: 'no BTC/USDT mid to value BTC' });
  });
});
