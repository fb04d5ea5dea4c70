import type { VenueCapabilities } from '../ccxt/VenueCapabilities.ts';
import { binanceCapabilities, binanceUsdmCapabilities } from './binance/binanceCapabilities.ts';
import { bybitCapabilities } from './bybit/bybitCapabilities.ts';
import { coinbaseCapabilities } from './coinbase/coinbaseCapabilities.ts';
import { hyperliquidCapabilities } from './hyperliquid/hyperliquidCapabilities.ts';
import { krakenCapabilities } from './kraken/krakenCapabilities.ts';
import { okxCapabilities } from './okx/okxCapabilities.ts';

/** The capability row of each venue the ccxt connector trades on (one per venue folder). */
export const CAPABILITY_ROWS: readonly VenueCapabilities[] = [
  binanceCapabilities,
  binanceUsdmCapabilities,
  okxCapabilities,
  bybitCapabilities,
  coinbaseCapabilities,
  krakenCapabilities,
  hyperliquidCapabilities,
];

export function capabilitiesOf(ccxtId: string): VenueCapabilities {
  const found = CAPABILITY_ROWS.find((row) => row.ccxtId === ccxtId);
  if (!found) throw new Error(`venue "${ccxtId}": no capability row (known: ${CAPABILITY_ROWS.map((row) => row.ccxtId).join(', ')})`);
  return found;
}
