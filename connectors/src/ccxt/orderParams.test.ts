import type { OrderCommand } from '@crossvenue/schemas';
import { limitPlaceCommand } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../venues/capabilitiesOf.ts';
import { placeRequest } from './orderParams.ts';

const place = (ccxtId: string, overrides: Partial<OrderCommand>) => placeRequest({ ...limitPlaceCommand(), ...overrides }, capabilitiesOf(ccxtId));
const reasonOf = (ccxtId: string, overrides: Partial<OrderCommand>) => {
  const request = place(ccxtId, overrides);
  return request.ok ? undefined : request.reason;
};

describe('placeRequest', () => {
  it("sends the venue's form of our client order id with the unified flags", () => {
    const command = limitPlaceCommand({ instrument: 'BTC/USDC:USDC' });
    const hyperliquid = placeRequest({ ...command, timeInForce: 'IOC', reduceOnly: true }, capabilitiesOf('hyperliquid'));
    expect(hyperliquid).toEqual({ ok: true, type: 'limit', side: 'buy', params: { clientOrderId: `0x${command.clientOrderId}`, timeInForce: 'IOC', reduceOnly: true } });
    const okx = placeRequest({ ...command, postOnly: true }, capabilitiesOf('okx'));
    expect(okx).toMatchObject({ ok: true, params: { clientOrderId: command.clientOrderId, postOnly: true } });
  });

  it('refuses a time in force the venue does not offer, naming what it takes', () => {
    expect(reasonOf('hyperliquid', { instrument: 'BTC/USDC:USDC', timeInForce: 'FOK' })).toBe('time in force FOK is not offered by hyperliquid (it takes GTC, IOC)');
    expect(reasonOf('kraken', { timeInForce: 'FOK' })).toBe('time in force FOK is not offered by kraken (it takes GTC, IOC)');
    expect(reasonOf('binance', { timeInForce: 'FOK' })).toBeUndefined();
  });

  it("sends reduce-only only where the venue has it (derivatives); elsewhere risk's reduce_only rule holds the order, and no flag is sent", () => {
    expect(place('okx', { instrument: 'BTC/USDT:USDT', reduceOnly: true })).toMatchObject({ ok: true, params: { reduceOnly: true } });
    for (const [venue, instrument] of [['okx', 'BTC/USDT'], ['coinbase', 'BTC/USD'], ['binance', 'BTC/USDT']] as const) {
      const request = place(venue, { instrument, reduceOnly: true });
      expect(request.ok && request.params, `${venue} ${instrument}`).not.toHaveProperty('reduceOnly');
    }
  });

  it('refuses a client order id the venue would not accept (one not derived by us)', () => {
    expect(reasonOf('okx', { clientOrderId: 'web-order-1' as OrderCommand['clientOrderId'] })).toBe('client order id "web-order-1" does not fit okx: 1-32 case-sensitive alphanumerics (clOrdId)');
    expect(reasonOf('bybit', { clientOrderId: 'web-order-1' as OrderCommand['clientOrderId'] })).toBeUndefined();
  });
});
