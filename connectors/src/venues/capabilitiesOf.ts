import type { VenueCapabilities } from '../ccxt/VenueCapabilities.ts';
import { binanceCapabilities } from './binance/binanceCapabilities.ts';
import { bybitCapabilities } from './bybit/bybitCapabilities.ts';

/** The capability row of each venue the ccxt connector trades on (one per venue folder). */
const CAPABILITIES: Record<string, VenueCapabilities> = { binance: binanceCapabilities, bybit: bybitCapabilities };

export function capabilitiesOf(ccxtId: string): VenueCapabilities {
  const found = CAPABILITIES[ccxtId];
  if (!found) throw new Error(`venue "${ccxtId}": no capability row (known: ${Object.keys(CAPABILITIES).join(', ')})`);
  return found;
}
