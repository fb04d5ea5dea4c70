import type { SimulatedAccount } from '../SimulatedAccount.ts';
import { hmacSha256, secretMatches } from '../signatures.ts';
import { OkxError } from './OkxError.ts';

/** OKX refuses a request timestamp more than 30 s from its clock. */
const MAX_SKEW_MS = 30_000;
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export interface OkxRestCredentials {
  key?: string;
  sign?: string;
  timestamp?: string;
  passphrase?: string;
}

/** OKX's code for each OK-ACCESS-* header sent empty, in the order it checks them. */
const MISSING_HEADER_CODES: Record<keyof OkxRestCredentials, string> = { key: '50103', passphrase: '50104', sign: '50106', timestamp: '50107' };

/** The codes of one check, REST (50xxx, HTTP 401) and WebSocket login (60xxx). */
interface Codes {
  key: string;
  timestamp: string;
  expired: string;
  passphrase: string;
  sign: string;
}

const REST: Codes = { key: '50111', timestamp: '50112', expired: '50102', passphrase: '50105', sign: '50113' };
const WS: Codes = { key: '60005', timestamp: '60004', expired: '60006', passphrase: '60024', sign: '60007' };

/**
 * OKX v5 signing as the venue checks it: the key, the passphrase the key was created with, a
 * timestamp within 30 s, and the base64 HMAC-SHA256 of timestamp + method + request path (with its
 * query for GET) + body. REST sends them as OK-ACCESS-* headers with an ISO timestamp; the
 * WebSocket login signs `<unix seconds>GET/users/self/verify`.
 * https://www.okx.com/docs-v5/en/#overview-rest-authentication
 * https://www.okx.com/docs-v5/en/#overview-websocket-login
 */
export class OkxAuth {
  private readonly byKey: Map<string, SimulatedAccount>;

  constructor(
    accounts: SimulatedAccount[],
    private readonly clock: () => number,
  ) {
    this.byKey = new Map(accounts.map((account) => [account.apiKey, account]));
  }

  rest(credentials: OkxRestCredentials, method: string, requestPath: string, body: string): SimulatedAccount {
    const { key, sign, timestamp, passphrase } = credentials;
    const missing = (Object.keys(MISSING_HEADER_CODES) as Array<keyof OkxRestCredentials>).find((name) => !credentials[name]);
    if (missing) throw new OkxError(MISSING_HEADER_CODES[missing], `Request header OK-ACCESS-${missing.toUpperCase()} can not be empty.`, 401);
    const timeMs = ISO_TIMESTAMP.test(timestamp!) ? Date.parse(timestamp!) : Number.NaN;
    return this.check(REST, { key, passphrase, sign, timeMs, signed: `${timestamp}${method}${requestPath}${body}` });
  }

  /** `{"op":"login","args":[{apiKey, passphrase, timestamp, sign}]}`, timestamp in Unix seconds. */
  webSocket(args: unknown): SimulatedAccount {
    const login = Array.isArray(args) && args.length === 1 && typeof args[0] === 'object' && args[0] !== null ? (args[0] as Record<string, unknown>) : undefined;
    const field = (name: string) => (typeof login?.[name] === 'string' && login[name] !== '' ? (login[name] as string) : undefined);
    const [key, passphrase, timestamp, sign] = [field('apiKey'), field('passphrase'), field('timestamp'), field('sign')];
    if (!key || !passphrase || !timestamp || !sign) throw new OkxError('60009', 'Login failed: apiKey, passphrase, timestamp and sign are required.');
    const timeMs = /^\d{1,12}(\.\d{1,3})?$/.test(timestamp) ? Number(timestamp) * 1000 : Number.NaN;
    return this.check(WS, { key, passphrase, sign, timeMs, signed: `${timestamp}GET/users/self/verify` });
  }

  private check(codes: Codes, given: { key?: string; passphrase?: string; sign?: string; timeMs: number; signed: string }): SimulatedAccount {
    const status = codes === REST ? 401 : 200;
    const account = given.key ? this.byKey.get(given.key) : undefined;
    if (!account) throw new OkxError(codes.key, 'Invalid OK-ACCESS-KEY.', status);
    if (Number.isNaN(given.timeMs)) throw new OkxError(codes.timestamp, 'Invalid OK-ACCESS-TIMESTAMP.', status);
    if (Math.abs(this.clock() - given.timeMs) > MAX_SKEW_MS) throw new OkxError(codes.expired, 'Timestamp request expired.', status);
    if (account.passphrase === undefined || !secretMatches(account.passphrase, given.passphrase)) {
      throw new OkxError(codes.passphrase, 'OK-ACCESS-PASSPHRASE incorrect.', status);
    }
    if (!secretMatches(hmacSha256(account.secret, given.signed, 'base64'), given.sign)) throw new OkxError(codes.sign, 'Invalid Sign.', status);
    return account;
  }
}
