import { Decimal, TOPICS } from '@crossvenue/schemas';
import { HAVE_VENUE_DATA, NO_VENUE_DATA, recordedJson, recordedResponses } from '@crossvenue/schemas/testing';
import ccxt, { type Exchange, type Order, type Position } from 'ccxt';
import { beforeAll, describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../venues/capabilitiesOf.ts';
import type { OkxInstrument } from '../venues/okx/okxSymbols.ts';
import { withRecordedMarkets } from '../venues/recordedTestKit.ts';
import { toBase, toContracts, type ContractTerms } from './contractUnits.ts';
import { bookSnapshotOf, publicTradeOf } from './marketData/toMarketMessages.ts';
import { orderEvidence } from './orderEvidence.ts';
import { venueAmount } from './orderParams.ts';
import { bybitTestContext } from './testContext.ts';
import { venueOrderOf, venueTradeOf } from './toMessages.ts';
import { venuePositionOf } from './venuePositionOf.ts';

const spot: ContractTerms = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', contract: false };
const linear: ContractTerms = { symbol: 'BTC/USDT:USDT', base: 'BTC', quote: 'USDT', contract: true, inverse: false, contractSize: 0.01 };
const inverse: ContractTerms = { symbol: 'BTC/USD:BTC', base: 'BTC', quote: 'USD', contract: true, inverse: true, contractSize: 100 };
const ONE_CONTRACT = new Decimal(1);

describe('contract units: base asset inside, contracts at the venue', () => {
  it('passes spot, contracts of size one and contracts of a size ccxt does not know as they are', () => {
    for (const market of [spot, { ...linear, contractSize: 1 }, { ...linear, contractSize: undefined }]) {
      expect(toBase(market, '1.5').toFixed(), market.symbol).toBe('1.5');
      expect(toContracts(market, '1.5', ONE_CONTRACT).toFixed(), market.symbol).toBe('1.5');
    }
  });

  it('counts a linear contract of 0.01 BTC: contracts x size = base, exactly', () => {
    expect(toBase(linear, '5').toFixed()).toBe('0.05');
    expect(toBase(linear, '0.1').toFixed()).toBe('0.001');
    expect(toContracts(linear, '0.05', ONE_CONTRACT).toFixed()).toBe('5');
    // A venue with fractional contracts (step 0.1): 0.001 BTC is 0.1 contract.
    expect(toContracts(linear, '0.001', new Decimal('0.1')).toFixed()).toBe('0.1');
  });

  it('refuses a base quantity that is not a whole number of steps, never rounds it', () => {
    expect(() => toContracts(linear, '0.005', ONE_CONTRACT)).toThrow('0.005 BTC on BTC/USDT:USDT is not a multiple of its step 0.01 BTC (1 contracts of 0.01 BTC)');
    // Without a step from ccxt, the conversion only has to be exact.
    expect(toContracts(linear, '0.005', null).toFixed()).toBe('0.5');
    expect(() => toContracts({ ...linear, contractSize: 3 }, '1', null)).toThrow('1 BTC on BTC/USDT:USDT is not an exact number of contracts of 3 BTC');
  });

  it('refuses an inverse contract both ways: its size is a quote amount', () => {
    const reason = 'BTC/USD:BTC: inverse contract (100 USD a contract) not supported: its amounts are not BTC quantities';
    expect(() => toBase(inverse, '1')).toThrow(reason);
    expect(() => toContracts(inverse, '1', ONE_CONTRACT)).toThrow(reason);
  });
});

if (!HAVE_VENUE_DATA) console.warn(`contractUnits.test.ts: ${NO_VENUE_DATA}`);

const OKX_DATA = 'nautilus_trader/crates/adapters/okx/test_data';

/** OKX BTC-USDT-SWAP (ctVal 0.01 BTC, lotSz 1) as ccxt loads it offline from the recorded instruments, and what crosses the edge both ways. */
describe.skipIf(!HAVE_VENUE_DATA)('contract units on OKX BTC-USDT-SWAP, recorded', () => {
  let okx: Exchange;
  const SWAP = 'BTC/USDT:USDT';
  beforeAll(async () => {
    const all = (recordedResponses('cryptofeed/sample_data/OKX.0') as Array<{ data: OkxInstrument[] }>).flatMap((r) => r.data);
    const instruments = [...new Map(all.map((i) => [i.instId, i])).values()];
    okx = await withRecordedMarkets(new ccxt.pro.okx({ options: { fetchMarkets: { types: ['spot', 'swap'] } } }), 'publicGetPublicInstruments', (params) => ({
      code: '0',
      data: instruments.filter((i) => i.instType === params.instType),
    }));
  });

  it('orders out: 0.05 BTC is 5 contracts; 0.005 BTC (half a contract) is refused before sending; spot passes as it is', () => {
    expect(okx.market(SWAP)).toMatchObject({ contractSize: 0.01, precision: { amount: 1 } });
    expect(venueAmount(okx, SWAP, '0.05')).toEqual({ ok: true, amount: '5' });
    expect(venueAmount(okx, SWAP, '0.005')).toEqual({ ok: false, reason: '0.005 BTC on BTC/USDT:USDT is not a multiple of its step 0.01 BTC (1 contracts of 0.01 BTC)' });
    expect(venueAmount(okx, 'BTC/USDT', '0.00123')).toEqual({ ok: true, amount: '0.00123' });
    expect(venueAmount(okx, 'BTC/USD:BTC', '1')).toMatchObject({ ok: false, reason: expect.stringContaining('BTC/USD:BTC: inverse contract (100 USD a contract) not supported') });
    expect(venueAmount(okx, 'NOPE/USDT:USDT', '1')).toMatchObject({ ok: false, reason: expect.stringContaining('NOPE/USDT:USDT') });
  });

  it('evidence in: an order of 0.03 contracts filled (GET /trade/orders-history) is 0.0003 BTC in its event and in the open-orders list', () => {
    const { data } = recordedJson(`${OKX_DATA}/http_get_orders_history.json`) as { data: object[] };
    const order = okx.parseOrder(data[0] as never) as Order;
    expect([order.symbol, order.amount, order.filled]).toEqual([SWAP, 0.03, 0.03]);
    const market = okx.market(SWAP);
    expect(orderEvidence(order, capabilitiesOf('okx'), market)).toMatchObject({ event: 'FILLED', filledQuantity: '0.0003' });
    expect(venueOrderOf(capabilitiesOf('okx'), order, 'filled', market)).toMatchObject({ quantity: '0.0003', filledQuantity: '0.0003' });
  });

  it('evidence in: our fill of 7 contracts is 0.07 BTC', async () => {
    const { context } = await bybitTestContext(TOPICS.fills, 'pf');
    const trade = okx.parseTrade({ instId: 'BTC-USDT-SWAP', tradeId: '9', ordId: '8', clOrdId: '', fillPx: '30000.5', fillSz: '7', side: 'buy', ts: '1700000000000', execType: 'T', fee: '-0.1', feeCcy: 'USDT' } as never);
    expect(venueTradeOf({ ...context, exchange: okx, capabilities: capabilitiesOf('okx') }, trade)).toMatchObject({ instrument: SWAP, quantity: '0.07', price: '30000.5' });
  });

  it('evidence in: a long position of 0.5 contracts (GET /account/positions) is 0.005 BTC, a short one negative', () => {
    const { data } = recordedJson(`${OKX_DATA}/http_get_positions.json`) as { data: object[] };
    const position = okx.parsePosition(data[0] as never) as Position;
    expect([position.symbol, position.contracts, position.side]).toEqual([SWAP, 0.5, 'long']);
    expect(venuePositionOf(position, okx.market(SWAP))).toMatchObject({ instrument: SWAP, quantity: '0.005', entryPrice: '10000' });
    expect(venuePositionOf({ ...position, side: 'short' }, okx.market(SWAP)).quantity).toBe('-0.005');
  });

  it('market data: book levels and public trades in contracts are published in BTC', () => {
    const source = { venue: 'okx', market: okx.market(SWAP), receivedAtMs: 1 };
    const book = bookSnapshotOf({ bids: [[30000, 415]], asks: [[30000.1, 0.5]], nonce: undefined, timestamp: 1 }, 20, source);
    expect([book.bids, book.asks]).toEqual([[{ price: '30000', quantity: '4.15' }], [{ price: '30000.1', quantity: '0.005' }]]);
    const trade = okx.parseTrade({ instId: 'BTC-USDT-SWAP', tradeId: '130639474', px: '42219.9', sz: '12', side: 'buy', ts: '1630048897897' } as never);
    expect(publicTradeOf(trade, source)).toMatchObject({ quantity: '0.12', price: '42219.9', aggressorSide: 'BUY' });
  });
});
