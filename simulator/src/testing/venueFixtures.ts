import { DEFAULT_MARKETS } from '../markets.ts';
import type { SimulatedAccount } from '../SimulatedAccount.ts';
import { SimulatedVenue, type SimulatedVenueOptions } from '../SimulatedVenue.ts';

/** A funded trader, the same in every test (test credentials). */
export const TRADER: SimulatedAccount = {
  name: 'trader',
  apiKey: 'simTraderKey0001',
  secret: 'simTraderSecret0001',
  passphrase: 'simTraderPassphrase0001',
  balances: { USDT: '100000', BTC: '2', ETH: '20', SOL: '100' },
};

/** A Binance-dialect venue on a free port with a still book (no background flow). */
export async function startTestVenue(overrides: Partial<SimulatedVenueOptions> = {}) {
  const venue = new SimulatedVenue({
    name: 'sim-test',
    dialect: 'binance',
    markets: DEFAULT_MARKETS,
    fees: { maker: '0.001', taker: '0.002' },
    accounts: [TRADER],
    ...overrides,
  });
  const endpoints = await venue.start();
  return { venue, endpoints };
}
