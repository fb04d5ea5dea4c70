import { Decimal } from '@crossvenue/schemas';
import { EngineRejection } from './EngineRejection.ts';

export interface AssetBalance {
  free: Decimal;
  locked: Decimal;
}

/** Every account's free and locked funds per asset, exact. Locked funds back resting orders. */
export class Balances {
  private readonly accounts = new Map<string, Map<string, AssetBalance>>();

  of(account: string): ReadonlyMap<string, Readonly<AssetBalance>> {
    return this.assets(account);
  }

  get(account: string, asset: string): Readonly<AssetBalance> {
    return this.entry(account, asset);
  }

  credit(account: string, asset: string, amount: Decimal): void {
    const entry = this.entry(account, asset);
    entry.free = entry.free.plus(amount);
  }

  /** Takes from free funds, refusing to go below zero. */
  debit(account: string, asset: string, amount: Decimal): void {
    const entry = this.entry(account, asset);
    if (entry.free.lt(amount)) throw insufficient(account, asset);
    entry.free = entry.free.minus(amount);
  }

  lock(account: string, asset: string, amount: Decimal): void {
    const entry = this.entry(account, asset);
    if (entry.free.lt(amount)) throw insufficient(account, asset);
    entry.free = entry.free.minus(amount);
    entry.locked = entry.locked.plus(amount);
  }

  unlock(account: string, asset: string, amount: Decimal): void {
    const entry = this.entry(account, asset);
    entry.locked = entry.locked.minus(amount);
    entry.free = entry.free.plus(amount);
  }

  /** Pays out of locked funds (a resting order's fill). */
  spendLocked(account: string, asset: string, amount: Decimal): void {
    const entry = this.entry(account, asset);
    entry.locked = entry.locked.minus(amount);
  }

  private assets(account: string): Map<string, AssetBalance> {
    let assets = this.accounts.get(account);
    if (!assets) this.accounts.set(account, (assets = new Map()));
    return assets;
  }

  private entry(account: string, asset: string): AssetBalance {
    const assets = this.assets(account);
    let entry = assets.get(asset);
    if (!entry) assets.set(asset, (entry = { free: new Decimal(0), locked: new Decimal(0) }));
    return entry;
  }
}

function insufficient(account: string, asset: string): EngineRejection {
  return new EngineRejection('INSUFFICIENT_BALANCE', `account ${account} has insufficient ${asset} for the requested action`);
}
