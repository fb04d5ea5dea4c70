import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

export const EXAMPLES = fileURLToPath(new URL('../../../config/examples/', import.meta.url));

/** A config under test: tests write deliberately wrong ones, any field of any type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DraftConfig = Record<string, any>;

/** A small valid config: two simulated venues, a testnet, one portfolio. Tests change a field of it. */
export function validConfig(): DraftConfig {
  return {
    venues: [
      { id: 'sim-binance-a', ccxt: 'binance', simulated: true },
      { id: 'sim-bybit', ccxt: 'bybit', simulated: true },
      { id: 'bybit-testnet', ccxt: 'bybit', sandbox: true },
    ],
    accounts: [
      { venue: 'sim-binance-a', account: 'demo', portfolio: 'desk-1', credentials: { env: { apiKey: 'SIM_A_KEY', secret: 'SIM_A_SECRET' } } },
      { venue: 'sim-bybit', account: 'demo', portfolio: 'desk-1', credentials: { secretsFile: 'secrets.json' } },
      { venue: 'bybit-testnet', account: 'main', portfolio: 'desk-1', credentials: { env: { apiKey: 'BYBIT_KEY', secret: 'BYBIT_SECRET' } } },
    ],
    portfolios: [{ id: 'desk-1', risk: { currency: 'USDT', portfolio: { maxOrderNotional: '100000', priceBand: '0.05' } } }],
    router: { symbols: ['BTC/USDT', 'ETH/USDT'] },
    gateway: { port: 8080, apiKeys: { env: 'DESK_API_KEYS' } },
  };
}

/** Writes a config (an object, or YAML text) and its files into a fresh directory; returns the config's path. */
export function writeConfig(config: DraftConfig | string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'crossvenue-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const path = join(dir, 'crossvenue.yaml');
  writeFileSync(path, typeof config === 'string' ? config : stringify(config));
  return path;
}
