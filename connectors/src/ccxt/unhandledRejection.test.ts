import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { unhandledRejectionVerdict } from './unhandledRejection.ts';

describe('unhandledRejectionVerdict', () => {
  it('keeps the worker running for ccxt network errors, subclasses included', () => {
    expect(unhandledRejectionVerdict(new ccxt.NetworkError('connection closed by remote server, closing code 1006'))).toBe('keep-running');
    expect(unhandledRejectionVerdict(new ccxt.RequestTimeout('binance GET timed out'))).toBe('keep-running');
    expect(unhandledRejectionVerdict(new ccxt.ExchangeNotAvailable('bybit 503'))).toBe('keep-running');
  });

  it('stops the worker for anything else: venue answers, our bugs, non-errors', () => {
    expect(unhandledRejectionVerdict(new ccxt.InvalidOrder('bad order'))).toBe('exit');
    expect(unhandledRejectionVerdict(new ccxt.ExchangeError('refused'))).toBe('exit');
    expect(unhandledRejectionVerdict(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe('exit');
    expect(unhandledRejectionVerdict('a string')).toBe('exit');
    expect(unhandledRejectionVerdict(undefined)).toBe('exit');
  });
});
