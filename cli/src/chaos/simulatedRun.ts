import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXAMPLE_DIR = fileURLToPath(new URL('../../../config/examples/', import.meta.url));

/** The simulated venues' demo credentials (config/examples/simulated.secrets.json). */
export const SIMULATED_SECRETS = join(EXAMPLE_DIR, 'simulated.secrets.json');

/** Where a run of the simulated example listens: the simulator (and +1, +2), the gateway, the first metrics port. */
export interface RunPorts {
  simulator: number;
  gateway: number;
  metricsBase: number;
}

/**
 * One of the example's simulated venues (config/examples/simulated.yaml): the simulated-venue
 * worker serves them at the simulator's port, +1 and +2, each in its venue's dialect.
 */
export interface SimulatedVenue {
  venue: string;
  dialect: 'binance' | 'bybit';
  port: number;
}

/** One account on a simulated venue, with its credentials: whose orders and trades a venue ledger lists. */
export interface VenueAccount extends SimulatedVenue {
  account: string;
  apiKey: string;
  secret: string;
}

export function simulatedVenues(ports: RunPorts): SimulatedVenue[] {
  return [
    { venue: 'sim-binance-a', dialect: 'binance', port: ports.simulator },
    { venue: 'sim-binance-b', dialect: 'binance', port: ports.simulator + 1 },
    { venue: 'sim-bybit', dialect: 'bybit', port: ports.simulator + 2 },
  ];
}

/** What a chaos run changes in the example besides ports and replicas: the venues it hosts itself (at simulatedVenues' ports), more accounts, a Kafka, registry and ClickHouse of its own. */
export interface OwnInfrastructure {
  /** Accounts beside the demo accounts (portfolio demo), their credentials in `secretsFile`. */
  moreAccounts: ReadonlyArray<{ venue: string; account: string }>;
  secretsFile: string;
  kafkaBrokers: readonly string[];
  schemaRegistryUrl: string;
  clickhouseUrl: string;
}

/**
 * Writes the simulated example (config/examples/simulated.yaml) into `dir` with the run's own
 * ports and worker replicas, its secrets file named by absolute path, and returns its path. So a
 * run of it (a test's, a chaos run's) touches no run of the example a developer has up. With
 * `own`, the venues are reached at their URLs (no simulated-venue worker), the accounts listed
 * there are added, and the workers use the Kafka, registry and ClickHouse given.
 */
export function writeSimulatedConfig(dir: string, ports: RunPorts, replicas: string, own?: OwnInfrastructure): string {
  let text = readFileSync(join(EXAMPLE_DIR, 'simulated.yaml'), 'utf8');
  const replace = (pattern: RegExp, by: string) => {
    if (!pattern.test(text)) throw new Error(`config/examples/simulated.yaml no longer has ${pattern}: the run cannot set its own ports and replicas`);
    text = text.replace(pattern, by);
  };
  replace(/^simulator:\n {2}port: \d+$/m, `simulator:\n  port: ${ports.simulator}`);
  replace(/^gateway:\n {2}port: \d+$/m, `gateway:\n  port: ${ports.gateway}`);
  replace(/metricsPortBase: \d+/, `metricsPortBase: ${ports.metricsBase}`);
  replace(/secretsFile: simulated\.secrets\.json/g, `secretsFile: ${SIMULATED_SECRETS}`);
  replace(/^ {2}replicas: .*$/m, `  replicas: ${replicas}`);
  if (own) {
    replace(/^simulator:\n {2}port: \d+\n/m, '');
    for (const { venue, port } of simulatedVenues(ports)) {
      replace(new RegExp(`\\{ id: ${venue}, ccxt: (\\w+), simulated: true \\}`), `{ id: ${venue}, ccxt: $1, urls: { rest: "http://127.0.0.1:${port}", ws: "ws://127.0.0.1:${port}" } }`);
    }
    const accounts = own.moreAccounts.map(({ venue, account }) => `  - { venue: ${venue}, account: ${account}, portfolio: demo, credentials: { secretsFile: ${own.secretsFile} } }\n`);
    // After the demo accounts: a venue's first account's connector publishes its market data.
    replace(/^(accounts:\n(?: {2}- .*\n)+)/m, `$1${accounts.join('')}`);
    replace(/^( {2}kafka:\n {4}brokers: ).*$/m, `$1[${own.kafkaBrokers.join(', ')}]`);
    replace(/^( {2}schemaRegistry:\n {4}url: ).*$/m, `$1${own.schemaRegistryUrl}`);
    replace(/^( {2}clickhouse:\n {4}url: ).*$/m, `$1${own.clickhouseUrl}`);
  }
  const file = join(dir, 'crossvenue.yaml');
  writeFileSync(file, text);
  return file;
}
