import type { Market } from '@crossvenue/schemas';

/**
 * Why the router leaves a market out, or null. The router sizes orders in the base asset: its
 * books, lots and legs are base quantities, which a derivative's contracts are only at a contract
 * size of one (Binance USD-M's perpetuals). Any other size (OKX's BTC-USDT-SWAP is 0.01 BTC a
 * contract) would send an order 1/size times too large or small, since execution, risk and
 * positions count the venue's contracts as base units; an inverse contract is a fixed amount of
 * the quote currency. So such a market gets no order, and the route decision says why.
 */
export function unroutableContract(market: Pick<Market, 'base' | 'quote' | 'contractSize' | 'inverse'>): string | null {
  const { contractSize, base, quote } = market;
  if (market.inverse) return `inverse contract (${contractSize?.toFixed() ?? '?'} ${quote} a contract): not routed, its size is not a ${base} quantity`;
  if (contractSize !== null && !contractSize.eq(1)) return `contract size ${contractSize.toFixed()} ${base}: not routed, orders are sized in ${base} and not converted to contracts`;
  return null;
}
