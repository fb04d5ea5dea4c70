import type { BinanceExchangeInfo } from './BinanceWire.ts';

export interface RawResponse {
  body: Buffer;
  receivedAtMs: number;
}

/** A venue answered with an error status; Binance puts its own code and message in the body. */
export class VenueHttpError extends Error {
  override readonly name = 'VenueHttpError';
  constructor(
    readonly status: number,
    readonly path: string,
    body: string,
  ) {
    super(`${path}: HTTP ${status} ${body.slice(0, 200)}`);
  }
}

/** Binance spot REST, public endpoints. Signed endpoints arrive with execution. */
export class BinanceRest {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 5_000,
  ) {}

  async exchangeInfo(): Promise<BinanceExchangeInfo> {
    const { body } = await this.get('/api/v3/exchangeInfo');
    return JSON.parse(body.toString('utf8')) as BinanceExchangeInfo;
  }

  /** The raw bytes are kept so that a payload we cannot parse can be dead-lettered as it came. */
  depth(symbol: string, limit: number): Promise<RawResponse> {
    return this.get(`/api/v3/depth?symbol=${encodeURIComponent(symbol)}&limit=${limit}`);
  }

  private async get(path: string): Promise<RawResponse> {
    const response = await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok) throw new VenueHttpError(response.status, path, body.toString('utf8'));
    return { body, receivedAtMs: Date.now() };
  }
}
