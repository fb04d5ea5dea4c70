import type { Decimal } from '@crossvenue/schemas';
import type { Order, Trade } from './types.ts';

/**
 * The money side of orders as the matching engine asks for it: spot funds (Funds: locked base and
 * quote) or perpetual margin (MarginFunds: initial margin in the margin asset, positions instead of
 * base balances). Each method returns the assets whose balances it changed, for the balance events.
 */
export interface OrderFunds {
  /** Checks (and for spot, locks) what a new order needs; throws a rejection when it cannot. */
  reserve(order: Order): string[];
  release(order: Order): string[];
  /** Throws unless the order could stand at `quantity` and `price` (an amendment). */
  ensure(order: Order, quantity: Decimal, price: Decimal): void;
  /** How much of `wanted` a market buy can take at `price`. */
  affordable(order: Order, price: Decimal, wanted: Decimal): Decimal;
  /** Settles one side of a trade (`quote` is its quantity × price); returns its commission and the asset it was charged in. */
  settle(order: Order, trade: Trade, quote: Decimal, rate: Decimal): { commission: Decimal; commissionAsset: string; touched: string[] };
  /** Runs after each operation's events are delivered: what it did may have moved a mark price past a liquidation price. */
  afterOperation?(): void;
}
