import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UsageError } from '../args.ts';
import { EXAMPLES, validConfig, writeConfig } from '../config/configFixtures.ts';
import { configCommand } from './config.ts';

/** Secret values a config references, set where a careless check would print them. */
const SECRET_VALUES = { SIM_A_KEY: 'leak-env-key-1111', SIM_A_SECRET: 'leak-env-secret-2222', BYBIT_KEY: 'leak-3333', BYBIT_SECRET: 'leak-4444', DESK_API_KEYS: 'ops:admin:leak-api-key-5555-0123456789', KAFKA_PW: 'leak-kafka-6666' };
const SECRETS_FILE = JSON.stringify({ venueCredentials: [{ venue: 'sim-bybit', account: 'demo', apiKey: 'leak-file-7777', secret: 'leak-file-8888' }] });

async function check(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const code = await configCommand(['check', ...argv]);
    return { code, stdout: stdout.mock.calls.map((call) => call.join(' ')).join('\n'), stderr: stderr.mock.calls.map((call) => call.join(' ')).join('\n') };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('crossvenue config check', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('prints each process with its settings, secrets as references, and a result line', async () => {
    const { code, stdout, stderr } = await check(join(EXAMPLES, 'simulated.yaml'));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('ccxt-connector.sim-bybit.demo (ccxt-connector)\n  METRICS_PORT=9467\n  VENUE_ID=bybit\n  VENUE_NAME=sim-bybit');
    expect(stdout).toMatch(/ {2}VENUE_API_SECRET ← \S*simulated\.secrets\.json venueCredentials\[sim-bybit\|demo\]\.secret/);
    expect(stdout).toContain('  CROSSVENUE_API_KEYS ← $CROSSVENUE_API_KEYS');
    expect(stdout.split('\n').at(-1)).toBe(`config ${join(EXAMPLES, 'simulated.yaml')}: valid; 10 processes would run (simulated-venue, ccxt-connector ×3, router, execution, positions, reconciler, audit-sink, gateway)`);
  });

  it('never prints a secret value, from the environment or from a secrets file, in text or JSON', async () => {
    for (const [name, value] of Object.entries(SECRET_VALUES)) vi.stubEnv(name, value);
    const config = validConfig();
    config.infrastructure = { kafka: { brokers: ['k:9092'], sasl: { mechanism: 'scram-sha-256', username: 'desk', password: { env: 'KAFKA_PW' } } } };
    const path = writeConfig(config, { 'secrets.json': SECRETS_FILE });
    for (const argv of [[path], [path, '--json']]) {
      const { code, stdout, stderr } = await check(...argv);
      expect(code).toBe(0);
      expect(stdout).toContain('SIM_A_SECRET');
      expect(`${stdout}\n${stderr}`).not.toContain('leak');
    }
    const { stdout } = await check(path, '--json');
    const plan = JSON.parse(stdout) as { processes: Array<{ id: string; secrets: Record<string, unknown> }> };
    expect(plan.processes.find((process) => process.id === 'gateway')!.secrets).toEqual({ CROSSVENUE_API_KEYS: { env: 'DESK_API_KEYS' }, KAFKA_SASL_PASSWORD: { env: 'KAFKA_PW' } });
  });

  it('exits 1 with one line per problem on stderr, never repeating an inline secret', async () => {
    const config = validConfig();
    config.accounts[0].credentials = { apiKey: 'leak-inline-9999', secret: 'leak-inline-0000' };
    config.accounts[1].portfolio = 'desk-9';
    const { code, stdout, stderr } = await check(writeConfig(config));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      expect.stringMatching(/^accounts\[0\]\.credentials\.apiKey: inline secrets are refused/),
      expect.stringMatching(/^accounts\[0\]\.credentials\.secret: inline secrets are refused/),
      'accounts[1].portfolio: unknown portfolio "desk-9"',
    ]);
    expect(lines[3]).toMatch(/^config .*crossvenue\.yaml: 3 problems; nothing would run$/);
    expect(stderr).not.toContain('leak');
  });

  it('checks ./crossvenue.yaml or CROSSVENUE_CONFIG when no file is given', async () => {
    vi.stubEnv('CROSSVENUE_CONFIG', join(EXAMPLES, 'testnets.yaml'));
    expect((await check()).stdout).toContain('ccxt-connector.binance-testnet.main (ccxt-connector)');
    vi.stubEnv('CROSSVENUE_CONFIG', '');
    const { code, stderr } = await check();
    expect(code).toBe(1);
    expect(stderr).toMatch(/^crossvenue\.yaml: cannot read the config file \(ENOENT\)/);
  });

  it('refuses other actions and extra words', async () => {
    await expect(configCommand([])).rejects.toThrow(UsageError);
    await expect(configCommand(['lint'])).rejects.toThrow('unknown config action "lint"; known: check');
    await expect(configCommand(['check', 'a.yaml', 'b.yaml'])).rejects.toThrow('config check takes one file, got also "b.yaml"');
  });
});
