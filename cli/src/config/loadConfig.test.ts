import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_VENUES, demoAccount } from '../demoVenues.ts';
import { ConfigError } from './ConfigError.ts';
import { EXAMPLES, validConfig, writeConfig, type DraftConfig } from './configFixtures.ts';
import { loadConfig } from './loadConfig.ts';
import { planWorkers } from './planWorkers.ts';

/** The lines loadConfig throws for a config, or [] when it loads. */
function problems(config: DraftConfig | string): string[] {
  try {
    loadConfig(writeConfig(config));
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.message).toBe(error.lines.join('\n'));
    return error.lines;
  }
}

/** An arbitrage entry that runs on validConfig: BTC/USDT between its two simulated venues. */
const ARBITRAGE = {
  name: 'spread-btc',
  portfolio: 'desk-1',
  settings: { instrument: 'BTC/USDT', venues: ['sim-binance-a', 'sim-bybit'], policy: 'BOTH_IOC', minEdgeBps: '5', maxQuantity: '0.05', maxOpenNotional: '10000', maxInventory: '0.2' },
};

/** validConfig with `change` applied to it. */
function changed(change: (config: DraftConfig) => void): DraftConfig {
  const config = validConfig();
  change(config);
  return config;
}

describe('loadConfig', () => {
  it('loads both examples, and they plan', () => {
    const simulated = loadConfig(join(EXAMPLES, 'simulated.yaml'));
    expect(simulated.venues.map((venue) => venue.id)).toEqual(DEMO_VENUES.map((plan) => plan.name));
    expect(planWorkers(simulated).map((process) => process.id)).toEqual([
      'simulated-venue',
      'ccxt-connector.sim-binance-a.demo',
      'ccxt-connector.sim-binance-b.demo',
      'ccxt-connector.sim-bybit.demo',
      'router',
      'execution',
      'positions',
      'reconciler',
      'audit-sink',
      'gateway',
    ]);
    const testnets = loadConfig(join(EXAMPLES, 'testnets.yaml'));
    expect(testnets.venues.map((venue) => [venue.ccxt, venue.sandbox])).toEqual([['binance', true], ['bybit', true], ['okx', true]]);
    const connectors = planWorkers(testnets).filter((process) => process.worker === 'ccxt-connector');
    expect(connectors.map((process) => process.env.VENUE_SANDBOX)).toEqual(['true', 'true', 'true']);
    expect(connectors[2]!.secrets.VENUE_API_PASSPHRASE).toEqual({ env: 'OKX_DEMO_PASSPHRASE' });
  });

  it('loads the annotated example of config/README.md', () => {
    const readme = readFileSync(join(EXAMPLES, '..', 'README.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(planWorkers(loadConfig(writeConfig(example))).map((process) => process.id)).toEqual(expect.arrayContaining(['router-2', 'strategy.revert-btc', 'arbitrage.spread-btc']));
  });

  it('ships the simulated example with the credentials the simulated-venue worker serves (demoAccount, seed 1)', () => {
    const file = JSON.parse(readFileSync(join(EXAMPLES, 'simulated.secrets.json'), 'utf8')) as { venueCredentials: Array<Record<string, string>> };
    expect(file.venueCredentials).toEqual(
      DEMO_VENUES.map((plan) => ({ venue: plan.name, account: 'demo', apiKey: demoAccount(plan.name, 1).apiKey, secret: demoAccount(plan.name, 1).secret })),
    );
  });

  it('names each of five different mistakes by its path, one line each', () => {
    const config = changed((c) => {
      c.venues[2].ccxt = 'bybitt';
      c.accounts.push({ venue: 'sim-bybit', account: 'other', portfolio: 'desk-9', credentials: { env: { apiKey: 'K', secret: 'S' } } });
      c.portfolios[0].risk.portfolio.maxOrderNotional = 100000;
      c.router.symbols[0] = 'btc-usdt';
      c.gateway = { prot: 8080, apiKeys: { env: 'DESK_API_KEYS' } };
    });
    expect(problems(config)).toEqual([
      'venues[2].ccxt: "bybitt" is not a ccxt pro exchange',
      'accounts[3].portfolio: unknown portfolio "desk-9"',
      'portfolios[0].risk.portfolio.maxOrderNotional: expected a non-negative decimal string such as "100000" (quoted in YAML)',
      'router.symbols[0]: expected a unified symbol such as BTC/USDT or BTC/USDT:USDT',
      'gateway.prot: unknown key; known: port, host, apiKeys, backtestsDir',
    ]);
  });

  it('refuses inline secrets without repeating them', () => {
    const lines = problems(changed((c) => {
      c.accounts[0].credentials = { apiKey: 'inline-key-AAAA', secret: 'inline-secret-BBBB' };
      c.infrastructure = { kafka: { brokers: ['k:9092'], sasl: { mechanism: 'scram-sha-512', username: 'desk', password: 'inline-password-CCCC' } } };
    }));
    expect(lines).toEqual([
      'infrastructure.kafka.sasl.password: inline secrets are refused; give them by reference: { env: NAME }, the environment variable that holds it',
      expect.stringMatching(/^accounts\[0\]\.credentials\.apiKey: inline secrets are refused; give them by reference: exactly one of \{ env: \{ apiKey: NAME, secret: NAME, passphrase: NAME, walletAddress: NAME, privateKey: NAME \} \}, naming the variables/),
      expect.stringMatching(/^accounts\[0\]\.credentials\.secret: inline secrets are refused/),
    ]);
    expect(lines.join('\n')).not.toMatch(/AAAA|BBBB|CCCC/);
  });

  it('refuses unknown keys everywhere', () => {
    expect(problems(changed((c) => {
      c.hedging = [{ leader: 'x' }];
      c.venues[0].testnet = true;
      c.portfolios[0].risk.portfolio.maxLeverage = '3';
      c.workers = { replicas: { notifier: 1 } };
    }))).toEqual([
      expect.stringMatching(/^hedging: unknown key; known: infrastructure, .*, followers, arbitrage, workers$/),
      'venues[0].testnet: unknown key; known: id, ccxt, sandbox, simulated, urls',
      expect.stringMatching(/^portfolios\[0\]\.risk\.portfolio\.maxLeverage: unknown key; known: maxOrderNotional, /),
      expect.stringMatching(/^workers\.replicas\.notifier: unknown key; known: simulated-venue, ccxt-connector, router, /),
    ]);
  });

  it('refuses a strategy that could not run, at its field', () => {
    const strategy = { name: 'revert', module: 'mid-reversion', portfolio: 'desk-1', settings: { instrument: 'BTC/USDT', clip: '0.01', maxPosition: '0.05' } };
    expect(problems(changed((c) => (c.strategies = [strategy])))).toEqual([]);
    expect(problems(changed((c) => {
      c.strategies = [
        strategy,
        { ...strategy, portfolio: 'desk-9' },
        { ...strategy, name: 'b', module: 'nowhere.ts' },
        { ...strategy, name: 'c', module: 'momentum' },
        { ...strategy, name: 'd', settings: { ...strategy.settings, clip: '-1' } },
        { ...strategy, name: 'e', settings: { ...strategy.settings, size: '1' } },
        { ...strategy, name: 'f', settings: { ...strategy.settings, instrument: 'SOL/USDT' } },
        { ...strategy, name: 'g', settings: 'fast' },
      ];
    }))).toEqual([
      'strategies[7].settings: expected a mapping (key: value)',
      'strategies[1].name: "revert" is also strategies[0].name',
      'strategies[1].portfolio: unknown portfolio "desk-9"',
      expect.stringMatching(/^strategies\[2\]\.module: no strategy module at \/.+\/nowhere\.ts$/),
      'strategies[3].module: "momentum" is neither a built-in strategy (mid-reversion) nor a .ts/.js/.mjs module',
      'strategies[4].settings.clip: must be positive, got -1',
      expect.stringMatching(/^strategies\[5\]\.settings: unknown size \(known: instrument, clip, /),
      'strategies[6].settings: SOL/USDT not in router.symbols, so its orders could not be routed',
    ]);
  });

  it('plans one synchronizer for the followers, and refuses a follower that could not run, at its field', () => {
    const follower = { name: 'copy-small', leader: { venue: 'sim-binance-a', account: 'demo' }, portfolio: 'desk-1', account: 'demo', venue: 'sim-bybit', sizing: { mode: 'ratio', ratio: '0.1' } };
    const config = changed((c) => (c.followers = [follower, { ...follower, name: 'copy-eq', sizing: { mode: 'equity' } }]));
    expect(problems(config)).toEqual([]);
    const [synchronizer, ...more] = planWorkers(loadConfig(writeConfig(config))).filter((process) => process.worker === 'synchronizer');
    expect(more).toEqual([]);
    expect(JSON.parse(synchronizer!.env.SYNCHRONIZER_FOLLOWERS_JSON!)).toHaveLength(2);
    // An empty list still runs the synchronizer: its followers then come through the gateway's API.
    const empty = planWorkers(loadConfig(writeConfig(changed((c) => (c.followers = []))))).filter((process) => process.worker === 'synchronizer');
    expect(empty.map((process) => process.env.SYNCHRONIZER_FOLLOWERS_JSON)).toEqual(['[]']);
    expect(problems(changed((c) => (c.followers = [{ ...follower, leverage: 2, instruments: [{ leader: 'BTC/USDT', follower: 'BTC/USDT:USDT' }] }])))).toEqual([]);
    expect(problems(changed((c) => {
      c.followers = [
        { ...follower, leverage: 3 },
        { ...follower, name: 'b', account: 'nobody' },
        { ...follower, name: 'c', sizing: { mode: 'notional' } },
        { ...follower, name: 'd', leader: { venue: 'sim-bybit', account: 'demo' } },
        { ...follower, name: 'copy-small' },
      ];
    }))).toEqual([
      'followers[0].leverage: needs instruments: the derivatives it is set on (e.g. [{ leader: BTC/USDT, follower: BTC/USDT:USDT }])',
      'followers[1].account: unknown account "sim-bybit|nobody"',
      'followers[2].sizing.notional: missing',
      'followers[3].account: a follower cannot copy its own account',
      'followers[4].name: "copy-small" is also followers[0].name',
    ]);
  });

  it('plans one arbitrage process per entry, with its settings as the worker reads them', () => {
    const config = changed((c) => (c.arbitrage = [ARBITRAGE, { ...ARBITRAGE, name: 'spread-eth', settings: { ...ARBITRAGE.settings, instrument: 'ETH/USDT' } }]));
    expect(problems(config)).toEqual([]);
    const planned = planWorkers(loadConfig(writeConfig(config))).filter((process) => process.worker === 'arbitrage');
    expect(planned.map((process) => process.id)).toEqual(['arbitrage.spread-btc', 'arbitrage.spread-eth']);
    expect(planned[0]!.env).toMatchObject({ ARBITRAGE_NAME: 'spread-btc', PORTFOLIO: 'desk-1' });
    expect(JSON.parse(planned[0]!.env.ARBITRAGE_SETTINGS_JSON!)).toEqual(ARBITRAGE.settings);
  });

  it('refuses an arbitrage entry that could not run, at its field', () => {
    // sim-bybit|demo is not routed: only the others can carry an arbitrage leg.
    const routed = { ...ARBITRAGE.settings, venues: ['sim-binance-a', 'bybit-testnet'] };
    expect(problems(changed((c) => {
      c.router.accounts = ['sim-binance-a|demo', 'bybit-testnet|main'];
      c.arbitrage = [
        { ...ARBITRAGE, settings: { ...routed, venues: ['sim-binance-a', 'sim-binance-b'] } },
        { ...ARBITRAGE, name: 'b', portfolio: 'desk-9', settings: routed },
        { ...ARBITRAGE, name: 'c', settings: { ...routed, leverage: '3' } },
        { ...ARBITRAGE, name: 'd', settings: { ...routed, instrument: 'SOL/USDT' } },
        { ...ARBITRAGE, name: 'e' },
        { ...ARBITRAGE, name: 'spread-btc', settings: 'fast' },
        { name: 'g', portfolio: 'desk-1' },
        // A funding arbitrage: its places are checked like venues, each instrument against router.symbols.
        { ...ARBITRAGE, name: 'h', settings: { kind: 'FUNDING', places: [{ venue: 'sim-binance-a', instrument: 'BTC/USDT' }, { venue: 'sim-usdm', instrument: 'BTC/USDT:USDT' }], entryApr: '0.2', exitApr: '0.05', minEdgeBps: '5', stopLossBps: '100', maxQuantity: '0.1', maxOpenNotional: '10000' } },
        { ...ARBITRAGE, name: 'i', settings: { kind: 'FUNDING', places: [{ venue: 'sim-binance-a', instrument: 'BTC/USDT' }], entryApr: '0.2' } },
      ];
    }))).toEqual([
      'arbitrage[5].settings: expected a mapping (key: value)',
      'arbitrage[6].settings: missing',
      'arbitrage[0].settings.venues[1]: unknown venue "sim-binance-b"',
      'arbitrage[1].portfolio: unknown portfolio "desk-9"',
      expect.stringMatching(/^arbitrage\[2\]\.settings\.leverage: unknown key; known: instrument, venues, /),
      'arbitrage[3].settings.instrument: SOL/USDT is not in router.symbols, so its orders could not be routed',
      'arbitrage[4].settings.venues[1]: portfolio "desk-1" has no account on sim-bybit that the router routes to',
      'arbitrage[5].name: "spread-btc" is also arbitrage[0].name',
      'arbitrage[7].settings.places[1].venue: unknown venue "sim-usdm"',
      'arbitrage[7].settings.places[1].instrument: BTC/USDT:USDT is not in router.symbols, so its orders could not be routed',
      'arbitrage[8].settings.exitApr: required',
    ]);
  });

  it('checks that the parts agree', () => {
    expect(problems(changed((c) => {
      c.venues.push({ id: 'sim-bybit', ccxt: 'bybit', simulated: true }, { id: 'sim-kraken', ccxt: 'binance', simulated: true }, { id: 'okx-testnet', ccxt: 'okx', sandbox: true });
      c.venues[1].ccxt = 'binance';
      c.accounts.push({ ...c.accounts[0] }, { venue: 'nowhere', account: 'main', portfolio: 'desk-1', credentials: { env: { apiKey: 'K', secret: 'S' } } });
      c.accounts.push({ venue: 'okx-testnet', account: 'main', portfolio: 'desk-1', credentials: { env: { apiKey: 'OKX_KEY', secret: 'OKX_SECRET' } } });
      c.accounts[0].credentials = { env: { apiKey: 'SIM_A_KEY', secret: 'SIM_A_SECRET', passphrase: 'SIM_A_PASSPHRASE' } };
      c.portfolios.push({ id: 'desk-2', risk: { currency: 'USDT' } });
      c.portfolios[0].risk.accounts = { 'sim-bybit|nobody': {} };
      c.router = { symbols: ['SOL/USDT', 'BTC/USDT', 'BTC/USDT'], accounts: ['sim-bybit|demo', 'x|y'] };
      c.workers = { replicas: { execution: 7, router: 7 } };
    }))).toEqual([
      'venues[1].ccxt: sim-bybit speaks bybit, not "binance"',
      'venues[3].id: "sim-bybit" is also venues[1].id',
      'venues[4].id: the simulated-venue worker serves sim-binance-a, sim-binance-b, sim-bybit, not "sim-kraken"',
      'venues[4]: no account is on sim-kraken',
      'accounts[0].credentials.env.passphrase: binance takes no API passphrase',
      'accounts[3]: sim-binance-a|demo (portfolio "desk-1") is also accounts[0] (portfolio "desk-1"); an account is listed once, in exactly one portfolio',
      'accounts[4].venue: unknown venue "nowhere"',
      'accounts[5].credentials.env.passphrase: missing: okx needs its API passphrase',
      'portfolios[1]: one portfolio per config today: the router routes every intent over all its accounts and the execution worker applies one set of limits to every portfolio',
      'portfolios[0].risk.accounts["sim-bybit|nobody"]: unknown account "sim-bybit|nobody"',
      'router.accounts[1]: unknown account "x|y"',
      'router.symbols[0]: "SOL/USDT" is not traded on the simulated venues (BTC/USDT, ETH/USDT)',
      'router.symbols[2]: "BTC/USDT" is also router.symbols[1]',
      'workers.replicas.execution: at most 6 execution replicas (exec.route-decisions has 6 partitions; more would sit idle)',
      'workers.replicas.router: at most 6 router replicas (exec.intents has 6 partitions; more would sit idle)',
    ]);
  });

  it('refuses an account listed twice, in the same portfolio or in two, naming both entries and their portfolios', () => {
    const credentials = { env: { apiKey: 'K', secret: 'S' } };
    expect(problems(changed((c) => {
      c.accounts.push({ venue: 'bybit-testnet', account: 'main', portfolio: 'desk-1', credentials });
    }))).toEqual(['accounts[3]: bybit-testnet|main (portfolio "desk-1") is also accounts[2] (portfolio "desk-1"); an account is listed once, in exactly one portfolio']);
    expect(problems(changed((c) => {
      c.portfolios.push({ id: 'desk-2', risk: { currency: 'USDT' } });
      c.accounts.push({ venue: 'sim-bybit', account: 'demo', portfolio: 'desk-2', credentials });
    }))).toEqual([
      'accounts[3]: sim-bybit|demo (portfolio "desk-2") is also accounts[1] (portfolio "desk-1"); an account is listed once, in exactly one portfolio',
      'portfolios[1]: one portfolio per config today: the router routes every intent over all its accounts and the execution worker applies one set of limits to every portfolio',
    ]);
    // A portfolio the schema refused has its own line; the duplicate is still named.
    expect(problems(changed((c) => {
      c.accounts.push({ venue: 'sim-bybit', account: 'demo', portfolio: 'Desk 2', credentials });
    }))).toEqual([
      'accounts[3].portfolio: expected lower-case letters, digits, dashes and underscores, e.g. desk-1',
      'accounts[3]: sim-bybit|demo is also accounts[1] (portfolio "desk-1"); an account is listed once, in exactly one portfolio',
    ]);
  });

  it('reports the risk limits parser\'s own verdict at the field', () => {
    expect(problems(changed((c) => {
      c.portfolios[0].risk.portfolio = { minOrderQuantity: '2', maxOrderQuantity: '1' };
    }))).toEqual(['portfolios[0].risk.portfolio: minOrderQuantity 2 is above maxOrderQuantity 1']);
  });

  it('checks settings that go together and ports that collide', () => {
    expect(problems(changed((c) => {
      c.infrastructure = { kafka: { brokers: ['k:9092'], caFile: 'ca.pem' }, clickhouse: { url: 'http://ch:8123', username: 'audit' } };
      c.venues[2].urls = { rest: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1' };
    }))).toEqual([
      'infrastructure.kafka.caFile: only with tls: true',
      'infrastructure.clickhouse.password: missing: a username goes with a password',
      'venues[2].sandbox: a sandbox (testnet) venue cannot also be a simulated venue at URLs of its own',
    ]);
    expect(problems(changed((c) => {
      c.simulator = { port: 8079 };
    }))).toEqual(['gateway.port: 8080 is also a simulated venue\'s port (8079-8081 from simulator.port)']);
    expect(problems(changed((c) => {
      c.workers = { metricsPortBase: 8075 };
    }))).toEqual(['workers.metricsPortBase: the METRICS_PORTs 8075-8109 take gateway.port 8080']);
  });

  it('names the line of a YAML syntax error', () => {
    expect(problems('venues:\n  - id: a\n   ccxt: binance\n')).toEqual(['line 3, column 1: Sequence item without - indicator']);
    expect(problems('router: {}\nrouter: {}\n')).toEqual(['line 2, column 1: Map keys must be unique']);
  });

  it('resolves the files a config names relative to itself', () => {
    const path = writeConfig(validConfig());
    const config = loadConfig(path);
    expect(config.accounts[1]!.credentials).toEqual({ secretsFile: join(path, '..', 'secrets.json') });
  });
});
