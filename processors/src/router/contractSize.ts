import type { Market } from '@crossvenue/schemas';

/**
 * Why the router leaves a market out, or null. The router sizes orders in the base asset: its
 * books, lots and legs are base quantities, and so are a linear contract's, whatever its size
 * (OKX's BTC-USDT-SWAP is 0.01 BTC a contract): the connector publishes its books and rules in
 * the base asset and converts to contracts at the venue edge (connectors/src/ccxt/contractUnits.ts),
 * so execution, risk and positions count base units throughout. An inverse contract is a fixed
 * amount of the quote currency, whose size in the base asset moves with the price: such a market
 * gets no order, and the route decision says why.
 */
export function unroutableContract(market: Pick<Market, 'base' | 'quote' | 'contractSize' | 'inverse'>): string | null {
  const { contractSize, base, quote } = market;
  if (market.inverse) return `inverse contract (${contractSize?.toFixed() ?? '?'} ${quote} a contract): not routed, its size is not a ${base} quantity`;
  return null;
}
