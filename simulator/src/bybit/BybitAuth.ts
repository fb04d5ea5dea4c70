import type { SimulatedAccount } from '../SimulatedAccount.ts';
import { hmacSha256, secretMatches } from '../signatures.ts';
import { BybitError } from './BybitError.ts';

const DEFAULT_RECV_WINDOW = 5_000;
const MAX_AHEAD_MS = 1_000;

/**
 * Bybit v5 request signing as the venue checks it: `X-BAPI-API-KEY`, `X-BAPI-TIMESTAMP`,
 * `X-BAPI-RECV-WINDOW` and `X-BAPI-SIGN` = hex HMAC-SHA256 of timestamp + key + recvWindow +
 * (query string for GET, raw JSON body for POST). WebSocket auth signs `GET/realtime` + expires.
 * https://bybit-exchange.github.io/docs/v5/guide#authentication
 */
export class BybitAuth {
  private readonly byKey: Map<string, SimulatedAccount>;

  constructor(
    accounts: SimulatedAccount[],
    private readonly clock: () => number,
  ) {
    this.byKey = new Map(accounts.map((account) => [account.apiKey, account]));
  }

  rest(headers: { key?: string; timestamp?: string; recvWindow?: string; sign?: string }, signedText: string): SimulatedAccount {
    const account = this.account(headers.key);
    const timestamp = Number(headers.timestamp);
    const recvWindow = headers.recvWindow === undefined ? DEFAULT_RECV_WINDOW : Number(headers.recvWindow);
    const now = this.clock();
    if (!Number.isInteger(timestamp) || !Number.isInteger(recvWindow) || timestamp > now + MAX_AHEAD_MS || now - timestamp > recvWindow) {
      throw new BybitError(
        10002,
        `invalid request, please check your server timestamp or recv_window param. req_timestamp[${headers.timestamp ?? ''}],server_timestamp[${now}],recv_window[${headers.recvWindow ?? ''}]`,
      );
    }
    this.verify(account, `${headers.timestamp}${headers.key}${headers.recvWindow ?? ''}${signedText}`, headers.sign);
    return account;
  }

  /** `{"op":"auth","args":[apiKey, expires, signature]}`; expires is in ms and must be in the future. */
  webSocket(args: unknown): SimulatedAccount {
    if (!Array.isArray(args) || args.length !== 3) throw new BybitError(10001, 'params error: auth args must be [apiKey, expires, signature]');
    const [key, expires, sign] = args as [unknown, unknown, unknown];
    const account = this.account(typeof key === 'string' ? key : undefined);
    const expiresMs = typeof expires === 'string' || typeof expires === 'number' ? Number(expires) : Number.NaN;
    if (!Number.isFinite(expiresMs) || expiresMs <= this.clock()) throw new BybitError(10002, 'Params Error: auth expires is in the past');
    this.verify(account, `GET/realtime${String(expires)}`, typeof sign === 'string' ? sign : undefined);
    return account;
  }

  private account(key: string | undefined): SimulatedAccount {
    const account = key ? this.byKey.get(key) : undefined;
    if (!account) throw new BybitError(10003, 'API key is invalid.');
    return account;
  }

  private verify(account: SimulatedAccount, text: string, sign: string | undefined): void {
    if (!secretMatches(hmacSha256(account.secret, text, 'hex'), sign?.toLowerCase())) throw new BybitError(10004, 'error sign! origin_string mismatch');
  }
}
