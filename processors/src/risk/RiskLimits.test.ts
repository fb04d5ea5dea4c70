import { describe, expect, it } from 'vitest';
import { parseRiskLimits } from './RiskLimits.ts';

describe('parseRiskLimits', () => {
  it('reads decimal strings and integer counts, per portfolio and per account', () => {
    const limits = parseRiskLimits({
      currency: 'USDT',
      rateWindowMs: 2000,
      maxOrdersPerVenuePerWindow: 50,
      portfolio: { maxGrossExposure: '1000000', maxDrawdown: '25000.5' },
      accounts: { 'binance|main': { maxOrderNotional: '50000', maxOrdersPerWindow: 10 } },
    });
    expect(limits.portfolio.maxDrawdown?.toFixed()).toBe('25000.5');
    expect(limits.accounts.get('binance|main')?.maxOrderNotional?.toFixed()).toBe('50000');
    expect(limits.accounts.get('binance|main')?.maxOrdersPerWindow).toBe(10);
    expect(limits.rateWindowMs).toBe(2000);
  });

  it.each([
    [{ currency: 'USDT', portfolio: { maxOrderNotional: 50000 } }, 'risk limits: portfolio.maxOrderNotional: 50000 is not a decimal string'],
    [{ currency: 'USDT', accounts: { 'binance|main': { priceBand: '1e-2' } } }, 'risk limits: accounts["binance|main"].priceBand: "1e-2" is not a decimal string'],
    [{ currency: 'USDT', portfolio: { maxPositon: '1' } }, 'risk limits: portfolio: unknown setting "maxPositon"; known: maxOrderNotional, minOrderQuantity, maxOrderQuantity, maxPositionPerInstrument, maxPositionPerUnderlying, maxGrossExposure, maxNetExposure, priceBand, maxDrawdown, maxOrdersPerWindow'],
    [{ currency: 'usdt' }, 'risk limits: currency "usdt" is not a currency code such as USDT'],
    [{ currency: 'USDT', rateWindowMs: 0 }, 'risk limits: rateWindowMs: 0 is not a positive integer'],
    [{ currency: 'USDT', accounts: { main: {} } }, 'risk limits: accounts key "main" is not "venue|account"'],
    [{ currency: 'USDT', portfolio: { minOrderQuantity: '2', maxOrderQuantity: '1' } }, 'risk limits: portfolio: minOrderQuantity 2 is above maxOrderQuantity 1'],
    [{ currency: 'USDT', portfolio: { maxDrawdown: '-5' } }, 'risk limits: portfolio.maxDrawdown: "-5" must not be negative'],
  ])('refuses %j with one line', (raw, message) => {
    expect(() => parseRiskLimits(raw)).toThrow(message);
    expect(message).not.toContain('\n');
  });
});
