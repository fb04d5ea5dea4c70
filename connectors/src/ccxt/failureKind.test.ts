import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { failureKind } from './failureKind.ts';

describe('failureKind', () => {
  it('tells an answer, an absence and an unknown outcome apart', () => {
    expect(failureKind(new ccxt.InsufficientFunds('binance {"code":-2010}'))).toBe('refused');
    expect(failureKind(new ccxt.RateLimitExceeded('binance 429'))).toBe('refused');
    expect(failureKind(new ccxt.OrderNotFound('binance {"code":-2013}'))).toBe('not-found');
    expect(failureKind(new ccxt.RequestTimeout('binance POST /api/v3/order timed out'))).toBe('unknown');
    expect(failureKind(new ccxt.NetworkError('binance POST /api/v3/order fetch failed: read ECONNRESET'))).toBe('unknown');
  });

  it('counts a refused connection as refused: the request never left', () => {
    expect(failureKind(new ccxt.NetworkError('binance POST http://127.0.0.1:1/api/v3/order fetch failed: connect ECONNREFUSED 127.0.0.1:1'))).toBe('refused');
  });
});
