import { Decimal, parseSymbolMetadata } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { symbolMetadata } from './syncFixtures.ts';
import { fitToVenue, type Fit } from './venueFit.ts';

const d = (value: string) => new Decimal(value);
const spot = parseSymbolMetadata(symbolMetadata('bybit', 'BTC/USDT'));
// As the connector publishes a perpetual of 0.01 BTC contracts: its rules in BTC (one contract each).
const perp = parseSymbolMetadata(symbolMetadata('bybit', 'BTC/USDT:USDT', { contractSize: '0.01', minQuantity: '0.01', quantityStep: '0.01', minNotional: null }));
const shown = (fit: Fit) => ('quantity' in fit ? fit.quantity.toFixed() : fit.skip);

describe('fitting a copy to the follower venue', () => {
  it('rounds down to the step, keeping the sign', () => {
    expect(shown(fitToVenue(d('0.12345'), spot, d('50000'), null))).toBe('0.123');
    expect(shown(fitToVenue(d('-0.12345'), spot, d('50000'), null))).toBe('-0.123');
  });

  it('skips below the minimum quantity or notional, saying which', () => {
    expect(shown(fitToVenue(d('0.0004'), spot, d('50000'), null))).toMatch(/^0\.0004 BTC is below the minimum 0\.001 BTC for BTC\/USDT on bybit$/);
    expect(shown(fitToVenue(d('0.001'), spot, d('5000'), null))).toMatch(/notional 5 USDT is below the minimum 10/);
    expect(shown(fitToVenue(d('0.001'), spot, null, null))).toMatch(/no price to check the minimum notional/);
    expect(shown(fitToVenue(d('0.01'), undefined, d('50000'), null))).toMatch(/no symbol metadata/);
  });

  it('sizes a perpetual in whole contracts of its contract size, in BTC', () => {
    expect(shown(fitToVenue(d('0.0345'), perp, d('50000'), null))).toBe('0.03');
    expect(shown(fitToVenue(d('0.005'), perp, d('50000'), null))).toMatch(/below the minimum 0\.01 BTC/);
  });

  it('caps a spot copy at the follower\'s available balance, and skips when what is left is below the minimum', () => {
    const fit = fitToVenue(d('0.5'), spot, d('50000'), null, d('0.2'));
    expect(shown(fit)).toBe('0.2');
    expect('capped' in fit && fit.capped).toMatch(/available balance \(0\.2 BTC\)/);
    expect(shown(fitToVenue(d('-0.5'), spot, d('50000'), null, d('0')))).toMatch(/below the minimum .* \(capped at the available balance \(0 BTC\)\)$/);
  });

  it('caps at the follower\'s max order size and says so', () => {
    const fit = fitToVenue(d('2'), spot, d('50000'), d('0.5'));
    expect(shown(fit)).toBe('0.5');
    expect('capped' in fit && fit.capped).toMatch(/maxOrderQuantity 0\.5/);
  });
});
