import { randomBytes } from 'node:crypto';
import { BinanceError } from './BinanceError.ts';

/**
 * The user-data-stream listen keys a Binance venue handed out (spot `/api/v3/userDataStream`,
 * USD-M `/fapi/v1/listenKey`), each naming its account; keys never expire here.
 */
export class ListenKeys {
  private readonly accounts = new Map<string, string>();

  create(account: string): string {
    const listenKey = randomBytes(30).toString('hex').slice(0, 60);
    this.accounts.set(listenKey, account);
    return listenKey;
  }

  /** The account's existing key (USD-M answers every POST with the same live key), or a new one. */
  forAccount(account: string): string {
    for (const [listenKey, owner] of this.accounts) if (owner === account) return listenKey;
    return this.create(account);
  }

  accountOf(listenKey: string): string | undefined {
    return this.accounts.get(listenKey);
  }

  /** Throws Binance's -1125 for a key it never gave or already closed. */
  check(listenKey: string): void {
    if (!this.accounts.has(listenKey)) throw new BinanceError(400, -1125, 'This listenKey does not exist.');
  }

  close(listenKey: string): void {
    this.check(listenKey);
    this.accounts.delete(listenKey);
  }
}
