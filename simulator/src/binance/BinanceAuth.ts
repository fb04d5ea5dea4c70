import type { SimulatedAccount } from '../SimulatedAccount.ts';
import { hmacSha256, secretMatches } from '../signatures.ts';
import { BinanceError, missingParameter } from './BinanceError.ts';

const DEFAULT_RECV_WINDOW = 5_000;
const MAX_RECV_WINDOW = 60_000;
/** Binance refuses a timestamp more than 1 s ahead of its clock. */
const MAX_AHEAD_MS = 1_000;

/**
 * Binance's SIGNED endpoint security, as the venue checks it: the `X-MBX-APIKEY` key, the
 * HMAC-SHA256 `signature` of the total parameters (query string then body, without the signature
 * itself), and `timestamp` within `recvWindow`.
 * https://developers.binance.com/docs/binance-spot-api-docs/rest-api/endpoint-security-type
 */
export class BinanceAuth {
  private readonly byKey: Map<string, SimulatedAccount>;

  constructor(
    accounts: SimulatedAccount[],
    private readonly clock: () => number,
  ) {
    this.byKey = new Map(accounts.map((account) => [account.apiKey, account]));
  }

  /** The account named by the API key alone (USER_STREAM endpoints are keyed, not signed). */
  keyed(apiKey: string | undefined): SimulatedAccount {
    if (!apiKey || !/^[A-Za-z0-9]{1,128}$/.test(apiKey)) throw new BinanceError(401, -2014, 'API-key format invalid.');
    const account = this.byKey.get(apiKey);
    if (!account) throw new BinanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    return account;
  }

  /** Checks a signed request; `payload` is what was signed (the total params minus `signature`). */
  signed(apiKey: string | undefined, params: URLSearchParams, payload: string): SimulatedAccount {
    const account = this.keyed(apiKey);
    const timestamp = Number(params.get('timestamp'));
    if (!params.get('timestamp') || !Number.isInteger(timestamp)) throw missingParameter('timestamp');
    const recvWindow = params.has('recvWindow') ? Number(params.get('recvWindow')) : DEFAULT_RECV_WINDOW;
    if (!Number.isFinite(recvWindow) || recvWindow <= 0 || recvWindow > MAX_RECV_WINDOW) {
      throw new BinanceError(400, -1131, 'recvWindow must be less than 60000');
    }
    const now = this.clock();
    if (timestamp > now + MAX_AHEAD_MS || now - timestamp > recvWindow) {
      throw new BinanceError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
    }
    const signature = params.get('signature');
    if (!signature) throw missingParameter('signature');
    if (!secretMatches(hmacSha256(account.secret, payload, 'hex'), signature.toLowerCase())) {
      throw new BinanceError(400, -1022, 'Signature for this request is not valid.');
    }
    return account;
  }
}

/** The signed text: query string and body as sent, with the `signature` parameter taken out. */
export function signedPayload(query: string, body: string): string {
  const strip = (text: string) =>
    text
      .split('&')
      .filter((part) => part !== '' && !part.startsWith('signature='))
      .join('&');
  return strip(query) + strip(body);
}
