import { describe, expect, it } from 'vitest';
import { parseFillLine } from './parseFillLine.ts';

const good = { venue: 'binance', account: 'main', symbol: 'BTC/USDT', side: 'buy', price: '64000.5', qty: '0.01', fee: '-0.001', feeCurrency: 'USDT', tradeId: '123', ts: 1_700_000_000_000 };
const line = (changes: Record<string, unknown>) => JSON.stringify({ ...good, ...changes });

describe('parseFillLine', () => {
  it('reads a fill with decimal strings, a default portfolio and a rebate', () => {
    const fill = parseFillLine(line({}));
    expect({ ...fill, price: fill.price.toFixed(), quantity: fill.quantity.toFixed(), fee: fill.fee.toFixed() }).toEqual({
      portfolio: 'default', venue: 'binance', account: 'main', instrument: 'BTC/USDT', side: 'BUY', price: '64000.5', quantity: '0.01',
      fee: '-0.001', feeCurrency: 'USDT', tradeId: '123', venueTimeMs: 1_700_000_000_000,
    });
    expect(parseFillLine(line({ portfolio: 'desk', ts: '1700000000001' }))).toMatchObject({ portfolio: 'desk', venueTimeMs: 1_700_000_000_001 });
  });

  it.each([
    [line({ price: 'abc' }), 'price "abc" is not a decimal'],
    [line({ qty: '0' }), 'qty "0" must be positive'],
    [line({ fee: undefined }), 'fee is missing'],
    [line({ ts: 1.5 }), 'ts 1.5 is not epoch milliseconds (a non-negative integer)'],
    [line({ symbol: 'BTCUSDT' }), 'invalid symbol "BTCUSDT": expected BASE/QUOTE, BASE/QUOTE:SETTLE, BASE/QUOTE:SETTLE-YYMMDD or BASE/QUOTE:SETTLE-YYMMDD-STRIKE-C|P, e.g. BTC/USDT'],
    [line({ tradeId: '' }), 'tradeId "" is not a non-empty string'],
    ['[1,2]', 'expected one JSON object per line'],
  ])('refuses %s: %s', (text, message) => {
    expect(() => parseFillLine(text)).toThrow(message);
  });
});
