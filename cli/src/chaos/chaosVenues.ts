import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedVenue } from '@crossvenue/simulator';
import { DEMO_VENUES, demoVenue } from '../demoVenues.ts';
import { simulatedVenues, type RunPorts, type VenueAccount } from './simulatedRun.ts';

/** The account the chaos run opens beside the demo account, on one venue: two connectors trade one venue's book. */
export const SECOND_ACCOUNT = { venue: 'sim-binance-a', account: 'desk-2' } as const;

export interface ChaosVenues {
  /** Every account the run trades, the demo accounts first. */
  accounts: VenueAccount[];
  /** A secrets file in the run's folder with the second account's credentials (simulated.secrets.json's format). */
  secretsFile: string;
  stop(): Promise<void>;
}

/**
 * The demo venues as the simulated-venue worker serves them (same markets, fees, seed, flow and
 * demo accounts), hosted by the chaos run itself on the run's simulator ports, with a second
 * account on SECOND_ACCOUNT.venue: the worker opens each venue's demo account only. Its key and
 * secret are random, for this run alone, written to a secrets file in `dir`.
 */
export async function startChaosVenues(dir: string, ports: RunPorts): Promise<ChaosVenues> {
  const second = { name: SECOND_ACCOUNT.account, apiKey: randomBytes(16).toString('hex'), secret: randomBytes(32).toString('hex') };
  const running: SimulatedVenue[] = [];
  const accounts: VenueAccount[] = [];
  try {
    for (const { venue, dialect, port } of simulatedVenues(ports)) {
      const plan = DEMO_VENUES.find((candidate) => candidate.name === venue)!;
      // Ids from the start time on, as the worker's: no trade id of an earlier run's fills comes again.
      const { options } = demoVenue(plan, { firstId: Date.now() });
      // Funded as the demo account is.
      const own = venue === SECOND_ACCOUNT.venue ? [{ ...options.accounts[0]!, ...second }] : [];
      const simulated = new SimulatedVenue({ ...options, accounts: [...options.accounts, ...own] });
      running.push(simulated);
      await simulated.start(port);
      for (const account of simulated.options.accounts) accounts.push({ venue, dialect, port, account: account.name, apiKey: account.apiKey, secret: account.secret });
    }
  } catch (error) {
    await Promise.all(running.map((venue) => venue.stop()));
    throw error;
  }
  const secretsFile = join(dir, 'chaos.secrets.json');
  writeFileSync(secretsFile, JSON.stringify({ venueCredentials: [{ venue: SECOND_ACCOUNT.venue, account: second.name, apiKey: second.apiKey, secret: second.secret }] }), { mode: 0o600 });
  return { accounts, secretsFile, stop: async () => void (await Promise.all(running.map((venue) => venue.stop()))) };
}
