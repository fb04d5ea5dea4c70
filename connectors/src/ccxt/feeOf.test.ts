import { describe, expect, it } from 'vitest';
import { binanceCapabilities } from '../venues/binance/binanceCapabilities.ts';
import { okxCapabilities } from '../venues/okx/okxCapabilities.ts';
import { feeOf } from './toMessages.ts';

describe('feeOf', () => {
  it('reads an OKX fill\'s fee from its own field, a charge positive, whichever sign ccxt gave it', () => {
    // The orders push: ccxt passes fillFee through (negative); `fee` there is the order's total.
    expect(feeOf(okxCapabilities, { fee: { cost: -0.0002, currency: 'ETH' }, info: { fillFee: '-0.0002', fee: '-0.0005' } })).toBe('0.0002');
    // The fills list: ccxt flips it (positive).
    expect(feeOf(okxCapabilities, { fee: { cost: 0.0002, currency: 'ETH' }, info: { fee: '-0.0002' } })).toBe('0.0002');
    // A maker rebate: positive at OKX, negative in our fills.
    expect(feeOf(okxCapabilities, { fee: { cost: 0.0001, currency: 'USDT' }, info: { fillFee: '0.0001' } })).toBe('-0.0001');
  });

  it('takes ccxt\'s cost where the row has no raw fee field, or the payload lacks it', () => {
    expect(feeOf(binanceCapabilities, { fee: { cost: 0.00001, currency: 'BNB' }, info: { commission: '0.00001' } })).toBe('0.00001');
    expect(feeOf(okxCapabilities, { fee: { cost: 0.3, currency: 'USDT' }, info: {} })).toBe('0.3');
    expect(feeOf(binanceCapabilities, { info: {} })).toBe('0');
  });

  it('refuses a venue fee field that is not a decimal, naming it', () => {
    expect(() => feeOf(okxCapabilities, { info: { fillFee: 'n/a' } })).toThrow('okx trade fillFee/fee');
  });
});
