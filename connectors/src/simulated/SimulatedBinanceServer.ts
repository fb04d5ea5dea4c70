import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BinanceDepthSnapshot, BinanceExchangeInfo } from '../binance/BinanceWire.ts';
import type { SimulatedBook } from './SimulatedBook.ts';

export interface SimulatedMarket {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  book: SimulatedBook;
}

/**
 * A simulated venue speaking Binance spot's REST dialect on loopback, so that the connector code
 * that talks to Binance talks to it unchanged. Errors use Binance's `{code, msg}` body.
 */
export class SimulatedBinanceServer {
  private server: Server | undefined;
  private readonly markets: Map<string, SimulatedMarket>;

  constructor(markets: SimulatedMarket[]) {
    this.markets = new Map(markets.map((market) => [market.symbol, market]));
  }

  async start(port = 0): Promise<string> {
    this.server = createServer((request, response) => this.route(request, response));
    await new Promise<void>((resolve, reject) => this.server!.once('error', reject).listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private route(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://venue');
    switch (url.pathname) {
      case '/api/v3/ping':
        return send(response, 200, {});
      case '/api/v3/exchangeInfo':
        return send(response, 200, this.exchangeInfo());
      case '/api/v3/depth':
        return this.depth(url, response);
      default:
        return send(response, 404, { code: -1000, msg: `Unknown path ${url.pathname}` });
    }
  }

  private exchangeInfo(): BinanceExchangeInfo {
    return {
      symbols: [...this.markets.values()].map(({ symbol, baseAsset, quoteAsset }) => ({
        symbol,
        status: 'TRADING',
        baseAsset,
        quoteAsset,
      })),
    };
  }

  private depth(url: URL, response: ServerResponse): void {
    const market = this.markets.get(url.searchParams.get('symbol') ?? '');
    if (!market) return send(response, 400, { code: -1121, msg: 'Invalid symbol.' });
    const limit = Number(url.searchParams.get('limit') ?? 100);
    const { bids, asks } = market.book.top(limit);
    const body: BinanceDepthSnapshot = {
      lastUpdateId: market.book.updateId,
      bids: bids.map((level) => [level.price.toFixed(), level.quantity.toFixed()]),
      asks: asks.map((level) => [level.price.toFixed(), level.quantity.toFixed()]),
    };
    send(response, 200, body);
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' }).end(JSON.stringify(body));
}
