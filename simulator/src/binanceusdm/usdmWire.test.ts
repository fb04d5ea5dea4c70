import { createHmac } from 'node:crypto';
import { waitFor } from '@crossvenue/runtime/testing';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedVenue, VenueEndpoints } from '../SimulatedVenue.ts';
import { TRADER, startTestVenue } from '../testing/venueFixtures.ts';

type Json = Record<string, unknown>;

/** Raw HTTP and WebSocket against the Binance USD-M dialect: its endpoints, codes and streams, as Binance sends them. */
describe('simulated Binance USD-M: the wire', () => {
  let venue: SimulatedVenue;
  let endpoints: VenueEndpoints;

  beforeAll(async () => {
    ({ venue, endpoints } = await startTestVenue({ dialect: 'binanceusdm', name: 'sim-usdm-wire', fees: { maker: '0.0002', taker: '0.0005' } }));
  });
  afterAll(() => venue.stop());

  const sign = (query: string, secret = TRADER.secret) => `${query}&signature=${createHmac('sha256', secret).update(query).digest('hex')}`;

  async function call(method: string, path: string, params = '', options: { signed?: boolean; secret?: string } = {}) {
    const query = options.signed === false ? params : sign(`${params}${params ? '&' : ''}timestamp=${Date.now()}`, options.secret);
    const response = await fetch(`${endpoints.restUrl}${path}?${query}`, { method, headers: { 'X-MBX-APIKEY': TRADER.apiKey } });
    return { status: response.status, body: (await response.json()) as Json & Json[] };
  }

  async function socket(path: string) {
    const ws = new WebSocket(`${endpoints.wsUrl}${path}`);
    const messages: Json[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Json));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return { ws, messages };
  }

  it('lists the perpetuals with their contract fields and filters', async () => {
    const { body } = await call('GET', '/fapi/v1/exchangeInfo', '', { signed: false });
    const btc = (body.symbols as Json[]).find((s) => s.symbol === 'BTCUSDT')!;
    expect(btc).toMatchObject({ contractType: 'PERPETUAL', marginAsset: 'USDT', quoteAsset: 'USDT', pricePrecision: 1, quantityPrecision: 3, status: 'TRADING' });
    expect(btc.filters).toEqual(expect.arrayContaining([
      expect.objectContaining({ filterType: 'PRICE_FILTER', tickSize: '0.1' }),
      expect.objectContaining({ filterType: 'LOT_SIZE', stepSize: '0.001', minQty: '0.001' }),
      expect.objectContaining({ filterType: 'MIN_NOTIONAL', notional: '100' }),
    ]));
    const index = await call('GET', '/fapi/v1/premiumIndex', 'symbol=BTCUSDT', { signed: false });
    expect(index.body).toMatchObject({ symbol: 'BTCUSDT', markPrice: '64000', indexPrice: '64000', interestRate: '0.0001' });
  });

  it.each([
    ['an off-tick price', 'side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=60000.05', -4014],
    ['an off-lot quantity', 'side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.0105&price=60000', -1111],
    ['a notional under 100', 'side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=60000', -4164],
    ['a post-only (GTX) price that would take', 'side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.01&price=64000.1', -5022],
    ['a hedge-mode position side', 'side=BUY&type=MARKET&quantity=0.01&positionSide=LONG', -4061],
    ['a spot order type', 'side=BUY&type=LIMIT_MAKER&quantity=0.01&price=60000', -1116],
    ['a malformed reduceOnly', 'side=SELL&type=MARKET&quantity=0.01&reduceOnly=yes', -1100],
    ['a reduce-only order with no position', 'side=SELL&type=MARKET&quantity=0.01&reduceOnly=true', -2022],
    ['more than the margin', 'side=BUY&type=LIMIT&timeInForce=GTC&quantity=40&price=63000', -2019],
  ])('refuses an order with %s with the USD-M code', async (_, params, code) => {
    expect(await call('POST', '/fapi/v1/order', `symbol=BTCUSDT&${params}`)).toMatchObject({ status: 400, body: { code } });
  });

  it('refuses bad leverage, an unchanged margin type and unsigned or badly signed requests', async () => {
    expect((await call('POST', '/fapi/v1/leverage', 'symbol=BTCUSDT&leverage=0')).body).toMatchObject({ code: -4028 });
    expect((await call('POST', '/fapi/v1/marginType', 'symbol=ETHUSDT&marginType=CROSSED')).body).toMatchObject({ code: -4046, msg: 'No need to change margin type.' });
    expect((await call('GET', '/fapi/v3/account', '', { secret: 'wrong' })).body).toMatchObject({ code: -1022 });
    expect((await call('GET', '/fapi/v3/account', 'recvWindow=5000', { signed: false })).body).toMatchObject({ code: -1102 });
    expect((await call('GET', '/fapi/v1/nothing')).status).toBe(404);
  });

  it('keeps a post-only order as LIMIT GTX, with its reduce-only flag', async () => {
    const placed = await call('POST', '/fapi/v1/order', 'symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTX&quantity=0.01&price=63000&newClientOrderId=gtx1&newOrderRespType=RESULT');
    expect(placed.body).toMatchObject({ status: 'NEW', type: 'LIMIT', timeInForce: 'GTX', reduceOnly: false, positionSide: 'BOTH', clientOrderId: 'gtx1' });
    const cancelled = await call('DELETE', '/fapi/v1/order', 'symbol=BTCUSDT&origClientOrderId=gtx1');
    expect(cancelled.body).toMatchObject({ status: 'CANCELED', orderId: placed.body.orderId });
  });

  it('streams fills, positions and funding on the user data stream', async () => {
    const { body } = await call('POST', '/fapi/v1/listenKey', '', { signed: false });
    const user = await socket(`/private/ws?listenKey=${String(body.listenKey)}`);
    await call('POST', '/fapi/v1/order', 'symbol=ETHUSDT&side=SELL&type=MARKET&quantity=0.5&newClientOrderId=short1');
    await waitFor('the fill and the account update', () => user.messages.some((m) => m.e === 'ACCOUNT_UPDATE'));
    const fill = user.messages.find((m) => m.e === 'ORDER_TRADE_UPDATE' && (m.o as Json).x === 'TRADE')!.o as Json;
    expect(fill).toMatchObject({ s: 'ETHUSDT', c: 'short1', X: 'FILLED', l: '0.5', L: '3099.99', N: 'USDT', n: '0.7749975', rp: '0', ps: 'BOTH', R: false });
    const account = (user.messages.find((m) => m.e === 'ACCOUNT_UPDATE')!.a as Json);
    expect(account).toMatchObject({ m: 'ORDER', B: [{ a: 'USDT', wb: '99999.2250025' }], P: [{ s: 'ETHUSDT', pa: '-0.5', ep: '3099.99', mt: 'cross', ps: 'BOTH' }] });
    venue.setFundingRate('ETHUSDT', '0.0002');
    venue.perpetuals!.settleFunding();
    await waitFor('the funding update', () => user.messages.some((m) => m.e === 'ACCOUNT_UPDATE' && (m.a as Json).m === 'FUNDING_FEE'));
    // The short receives 0.5 × 3100 × 0.0002 = 0.31.
    const funding = user.messages.find((m) => m.e === 'ACCOUNT_UPDATE' && (m.a as Json).m === 'FUNDING_FEE')!.a as Json;
    expect(funding).toMatchObject({ B: [{ a: 'USDT', wb: '99999.5350025' }], P: [{ s: 'ETHUSDT', pa: '-0.5' }] });
    const income = await call('GET', '/fapi/v1/income', 'symbol=ETHUSDT&incomeType=FUNDING_FEE');
    expect(income.body.map((i) => [i.incomeType, i.income, i.asset])).toEqual([['FUNDING_FEE', '0.31', 'USDT']]);
    const rates = await call('GET', '/fapi/v1/fundingRate', 'symbol=ETHUSDT', { signed: false });
    expect(rates.body.map((r) => [r.fundingRate, r.markPrice])).toEqual([['0.0002', '3100']]);
    user.ws.close();
  });

  it('chains depth events by pu, and a withheld one shows as a pu gap', async () => {
    const market = await socket('/public/ws');
    market.ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['solusdt@depth@100ms'], id: 1 }));
    await waitFor('the subscription', () => market.messages.some((m) => m.id === 1));
    const depth = () => market.messages.filter((m) => m.e === 'depthUpdate');
    const order = (price: string) => call('POST', '/fapi/v1/order', `symbol=SOLUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=${price}`);
    await order('150.01');
    await waitFor('a depth event', () => depth().length === 1);
    await order('150.02');
    await waitFor('a second depth event', () => depth().length === 2);
    const [first, second] = depth();
    expect(second!.pu).toBe(first!.u);
    expect(second!.a).toEqual([['150.02', '1']]);
    venue.faults.set({ skipBookUpdates: 1 });
    await order('150.03');
    await new Promise((resolve) => setTimeout(resolve, 150));
    await order('150.04');
    await waitFor('the event after the withheld one', () => depth().length === 3);
    expect(depth()[2]!.pu).not.toBe(second!.u);
    market.ws.close();
  });

  it('answers a rate-limited request as Binance does', async () => {
    venue.faults.set({ rateLimitRequests: 1 });
    expect(await call('GET', '/fapi/v1/ping', '', { signed: false })).toMatchObject({ status: 429, body: { code: -1003 } });
    expect((await call('GET', '/fapi/v1/ping', '', { signed: false })).status).toBe(200);
  });
});
