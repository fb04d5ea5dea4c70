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

export function simulatedVenues(ports: RunPorts): SimulatedVenue[] {
  return [
    { venue: 'sim-binance-a', dialect: 'binance', port: ports.simulator },
    { venue: 'sim-binance-b', dialect: 'binance', port: ports.simulator + 1 },
    { venue: 'sim-bybit', dialect: 'bybit', port: ports.simulator + 2 },
  ];
}

/**
 * Writes the simulated example (config/examples/simulated.yaml) into `dir` with the run's own
 * ports and worker replicas, its secrets file named by absolute path, and returns its path. So a
 * run of it (a test's, a chaos run's) touches no run of the example a developer has up.
 */
export function writeSimulatedConfig(dir: string, ports: RunPorts, replicas: string): string {
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
  const file = join(dir, 'crossvenue.yaml');
  writeFileSync(file, text);
  return file;
}
