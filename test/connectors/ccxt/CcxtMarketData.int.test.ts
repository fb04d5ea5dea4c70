import { randomUUID } from 'node:crypto';
import { createLogger, kafkaMessageBus } from '@crossvenue/runtime';
import { Decimal, TOPICS, type BookSnapshot, type SymbolMetadata, type Trade } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ccxtClientFor, CcxtMarketData, MARKET_DATA_TOPICS } from '@crossvenue/connectors';
import type { Trade as EngineTrade, SimulatedVenue, VenueDialect } from '@crossvenue/simulator';
import { startTestVenue, TRADER } from '@crossvenue/simulator/testing';

const logger = createLogger('ccxt-market-data-int', { level: 'warn' });
const SYMBOLS = ['ETH/USDT', 'BTC/USDT'];
const DEPTH = 10;

for (const dialect of ['binance', 'bybit'] as VenueDialect[]) {
  describe(`ccxt market data on Kafka and the schema registry, against a simulated ${dialect} venue`, () => {
    const id = randomUUID().slice(0, 8);
    const venueName = `md-${dialect}-${id}`;
    const workerBus = kafkaMessageBus(`ccxt-md-${id}`, logger);
    const testBus = kafkaMessageBus(`ccxt-md-test-${id}`, logger);
    const symbols: SymbolMetadata[] = [];
    const books: BookSnapshot[] = [];
    const trades: Trade[] = [];
    const venueTrades: EngineTrade[] = [];
    let venue: SimulatedVenue;
    let marketData: CcxtMarketData;

    beforeAll(async () => {
      const started = await startTestVenue({ dialect, name: venueName });
      venue = started.venue;
      venue.engine.onEvents((events) => {
        for (const event of events) if (event.kind === 'trade') venueTrades.push(event.trade);
      });
      await workerBus.prepare(MARKET_DATA_TOPICS);
      await testBus.prepare(MARKET_DATA_TOPICS);
      const collect = <T extends { venue: string }>(into: T[]) => async (batch: Array<{ value: T }>) =>
        void into.push(...batch.map((m) => m.value).filter((v) => v.venue === venueName));
      await testBus.subscribe({ groupId: `symbols-${id}`, topics: [TOPICS.symbols], fromBeginning: true, handle: collect(symbols) });
      await testBus.subscribe({ groupId: `books-${id}`, topics: [TOPICS.bookSnapshots], fromBeginning: true, handle: collect(books) });
      await testBus.subscribe({ groupId: `trades-${id}`, topics: [TOPICS.trades], fromBeginning: true, handle: collect(trades) });
      marketData = new CcxtMarketData({
        exchange: ccxtClientFor(started.endpoints),
        venue: venueName,
        symbols: SYMBOLS,
        messages: workerBus,
        logger,
        bookIntervalMs: 100,
        bookDepth: DEPTH,
        retryDelayMs: 100,
      });
      await marketData.start();
    }, 60_000);

    afterAll(async () => {
      await marketData?.stop();
      await venue?.stop();
      await workerBus.bus.close();
      await testBus.bus.close();
    });

    const marketBuy = (quantity: string) => venue.engine.place({ account: TRADER.name, symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: new Decimal(quantity) });
    const marketSell = (quantity: string) => venue.engine.place({ account: TRADER.name, symbol: 'ETHUSDT', side: 'SELL', type: 'MARKET', quantity: new Decimal(quantity) });

    it("publishes each symbol's metadata with the venue's exact tick, lot and minimum notional", async () => {
      await waitFor('metadata of both symbols', () => SYMBOLS.every((s) => symbols.some((m) => m.instrument === s)), 30_000);
      for (const instrument of SYMBOLS) {
        const rules = venue.engine.market(instrument.replace('/', ''));
        expect(symbols.find((m) => m.instrument === instrument)).toMatchObject({
          venue: venueName,
          venueSymbol: rules.symbol,
          assetType: 'SPOT',
          base: rules.baseAsset,
          quote: rules.quoteAsset,
          active: true,
          priceTick: rules.tickSize.toFixed(),
          quantityStep: rules.stepSize.toFixed(),
          minQuantity: rules.minQty.toFixed(),
          maxQuantity: rules.maxQty.toFixed(),
          minNotional: rules.minNotional.toFixed(),
          postOnly: true,
        });
      }
    });

    it('publishes every public trade it is sent once, with the taker side', async () => {
      // The trade stream subscribes after start; take small orders until one comes back, then measure.
      await waitFor('the trade stream is live', async () => {
        marketBuy('0.01');
        await sleep(300);
        return trades.length > 0;
      }, 30_000);
      const before = venueTrades.length;
      marketBuy('2.5'); // crosses two ask levels: two trades
      marketSell('3'); // and back through the bids
      const caused = venueTrades.slice(before);
      expect(caused.length).toBeGreaterThanOrEqual(3);
      const published = () => new Set(trades.map((t) => t.venueTradeId));
      await waitFor('the caused trades', () => caused.every((t) => published().has(String(t.tradeId))), 20_000);
      await sleep(500);
      const ids = trades.map((t) => t.venueTradeId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.every((tradeId) => venueTrades.some((t) => String(t.tradeId) === tradeId))).toBe(true);
      for (const trade of caused) {
        expect(trades.find((t) => t.venueTradeId === String(trade.tradeId))).toMatchObject({
          instrument: 'ETH/USDT',
          venueSymbol: 'ETHUSDT',
          price: trade.price.toFixed(),
          quantity: trade.quantity.toFixed(),
          aggressorSide: trade.buyerIsMaker ? 'SELL' : 'BUY',
        });
      }
    });

    it("publishes book snapshots that equal the venue's own book, top levels", async () => {
      marketBuy('1');
      const venueTop = () => {
        const depth = venue.engine.depth('ETHUSDT', DEPTH);
        const levels = (side: typeof depth.bids) => side.map((l) => ({ price: l.price.toFixed(), quantity: l.total.toFixed() }));
        return { bids: levels(depth.bids), asks: levels(depth.asks) };
      };
      const latest = () => books.filter((b) => b.instrument === 'ETH/USDT').at(-1);
      await waitFor('the book settles on the venue book', () => JSON.stringify(pick(latest())) === JSON.stringify(venueTop()), 20_000);
      const book = latest()!;
      expect(pick(book)).toEqual(venueTop());
      expect(book).toMatchObject({ venue: venueName, venueSymbol: 'ETHUSDT' });
      expect(book.bids).toHaveLength(DEPTH);
      expect(book.receivedAtMs).toBeGreaterThan(0);
      // Binance's diff stream carries the venue's update id (ccxt's nonce); Bybit's ccxt book keeps none.
      if (dialect === 'binance') expect(book.sequence).toBeGreaterThan(0);
      expect(marketData.bookStalenessMs()).toBeLessThan(20_000);
    });
  });
}

function pick(book: BookSnapshot | undefined) {
  return book && { bids: book.bids, asks: book.asks };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
