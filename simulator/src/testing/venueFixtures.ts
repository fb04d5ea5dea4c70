import { DEFAULT_MARKETS, DEFAULT_PERPETUAL_MARKETS } from '../markets.ts';
import type { SimulatedAccount } from '../SimulatedAccount.ts';
import { isPerpetualDialect, SimulatedVenue, type SimulatedVenueOptions } from '../SimulatedVenue.ts';

/** A funded trader, the same in every test (test credentials). */
export const TRADER: SimulatedAccount = {
  name: 'trader',
  apiKey: 'simTraderKey0001',
  secret: 'simTraderSecret0001',
  passphrase: 'simTraderPassphrase0001',
  balances: { USDT: '100000', BTC: '2', ETH: '20', SOL: '100' },
};

/**
 * A Binance-dialect venue on a free port with a still book (no background flow); a perpetual
 * dialect (binanceusdm) lists the default perpetuals instead of the spot markets.
 */
export async function startTestVenue(overrides: Partial<SimulatedVenueOptions> = {}) {
  const venue = new SimulatedVenue({
    name: 'sim-test',
    dialect: 'binance',
    markets: isPerpetualDialect(overrides.dialect ?? 'binance') ? DEFAULT_PERPETUAL_MARKETS : DEFAULT_MARKETS,
    fees: { maker: '0.001', taker: '0.002' },
    accounts: [TRADER],
    ...overrides,
  });
  const endpoints = await venue.start();
  return { venue, endpoints };
}
