import { Decimal, isMultipleOf } from '@crossvenue/schemas';
import type { MarketInterface as CcxtMarket } from 'ccxt';
import { fromOptionalCcxtNumber } from './ccxtValues.ts';

/**
 * Inside Crossvenue every quantity is in the base asset: orders, books, lots, fills, positions and
 * risk. ccxt counts a derivative's amounts in the venue's contracts (OKX BTC-USDT-SWAP: one contract
 * is 0.01 BTC, ccxt `contractSize` 0.01), so every amount crosses the venue edge through here,
 * exactly: contracts x contractSize = base. Spot, and contracts whose size is one or unknown to
 * ccxt, count the base asset already. An inverse contract is worth a fixed amount of the quote
 * currency, so its value in the base asset moves with the price: it is refused, never approximated.
 */

/** The parts of a ccxt market that say what its amounts count (a spot market needs none but its symbol). */
export type ContractTerms = Pick<CcxtMarket, 'symbol'> & Partial<Pick<CcxtMarket, 'base' | 'quote' | 'contract' | 'inverse' | 'contractSize'>>;

const ONE = new Decimal(1);

/** The base quantity one ccxt amount unit of `market` is: its contract size for a linear contract, else one. */
export function baseUnitsOf(market: ContractTerms): Decimal {
  if (market.contract !== true) return ONE;
  const raw = fromOptionalCcxtNumber(market.contractSize);
  if (market.inverse === true) {
    throw new Error(`${market.symbol}: inverse contract (${raw ?? '?'} ${market.quote ?? 'quote'} a contract) not supported: its amounts are not ${market.base ?? 'base'} quantities`);
  }
  const size = raw === null ? ONE : new Decimal(raw);
  if (size.lte(0)) throw new Error(`${market.symbol}: contract size ${size.toFixed()} is not positive`);
  return size;
}

/** True when `market`'s amounts are contracts of a size other than one (so they are converted here). */
export function countsContracts(market: ContractTerms): boolean {
  return !baseUnitsOf(market).eq(ONE);
}

/** A ccxt amount of `market` (contracts for a linear contract) in the base asset. */
export function toBase(market: ContractTerms, amount: string | Decimal): Decimal {
  return new Decimal(amount).times(baseUnitsOf(market));
}

/** `toBase` of a decimal string, null kept (a figure the venue does not report). */
export function toBaseString(market: ContractTerms, amount: string | null): string | null {
  return amount === null ? null : toBase(market, amount).toFixed();
}

/**
 * A base quantity as the ccxt amount of `market` (contracts for a linear contract). `contractStep`
 * is the venue's amount step in contracts (ccxt `precision.amount`; null when ccxt has none): a
 * quantity that is not a whole number of steps is refused, never rounded, since the venue would
 * round or refuse it and the order would no longer be the one risk approved.
 */
export function toContracts(market: ContractTerms, base: string | Decimal, contractStep: Decimal | null): Decimal {
  const size = baseUnitsOf(market);
  const quantity = new Decimal(base);
  if (size.eq(ONE)) return quantity;
  const asset = market.base ?? '';
  const contracts = quantity.div(size);
  if (contractStep === null) {
    if (!contracts.times(size).eq(quantity)) throw new Error(`${quantity.toFixed()} ${asset} on ${market.symbol} is not an exact number of contracts of ${size.toFixed()} ${asset}`);
    return contracts;
  }
  const stepInBase = contractStep.times(size);
  if (!isMultipleOf(quantity, stepInBase)) {
    throw new Error(
      `${quantity.toFixed()} ${asset} on ${market.symbol} is not a multiple of its step ${stepInBase.toFixed()} ${asset} (${contractStep.toFixed()} contracts of ${size.toFixed()} ${asset})`,
    );
  }
  return contracts;
}
