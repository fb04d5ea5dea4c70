import { CREDENTIAL_FIELDS, CREDENTIALS, neededCredentials, type CredentialField } from '@crossvenue/connectors';
import { BACKTESTS_DIR_KEY } from '@crossvenue/gateway';
import { resolveEndpoints } from '@crossvenue/runtime';
import { DEMO_VENUES } from '../demoVenues.ts';
import { accountKey, type AccountConfig, type ArbitrageConfig, type Config, type StrategyConfig } from './Config.ts';
import { ConfigError } from './ConfigError.ts';
import { configPath } from './configPath.ts';
import { PLANNED_WORKERS, REPLICABLE, replicaProblem, type PlannedWorker } from './replicas.ts';

/** One process of the distributed pipeline: `crossvenue worker <worker>` with these settings. */
export interface WorkerProcess {
  /** Unique and stable, [a-z0-9.-]: "router", "router-2", "ccxt-connector.sim-binance-a.demo". */
  id: string;
  /** The name `crossvenue worker <name>` knows. */
  worker: string;
  /** The worker's settings that are not secret, a METRICS_PORT of its own among them. */
  env: Record<string, string>;
  /** Settings whose values are secrets, by reference; workerEnvironment resolves them in the process. */
  secrets: Record<string, SecretRef>;
}

/**
 * Where a secret is: an environment variable, or an entry of a secrets file in the
 * CROSSVENUE_SECRETS_FILE format, `key` naming it as `venueCredentials[<venue>|<account>].<field>` (a CredentialField).
 */
export type SecretRef = { env: string } | { file: string; key: string };

export interface PlanOptions {
  /** Processes per worker, over the config's workers.replicas (`crossvenue up --replicas router=2`). */
  replicas?: Record<string, number>;
}

/** A planned process and, per secret setting, the config field it comes from (for error lines). */
export interface PlannedProcess extends WorkerProcess {
  origins: Record<string, string>;
}

const DEFAULT_METRICS_PORT_BASE = 9464;
const DEFAULT_SIM_PORT = 18_090;

/**
 * The processes a config runs: the simulated venues (if any venue is simulated), one ccxt
 * connector per account, the router, execution, positions, reconciler, audit sink and gateway,
 * one process per strategy, one synchronizer when there are followers and one process per arbitrage entry, each with only the settings it reads. `config` comes from loadConfig (already checked).
 */
export function planWorkers(config: Config, options: PlanOptions = {}): WorkerProcess[] {
  return planProcesses(config, options).map(({ id, worker, env, secrets }) => ({ id, worker, env, secrets }));
}

export function planProcesses(config: Config, options: PlanOptions = {}): PlannedProcess[] {
  const refused = Object.entries(options.replicas ?? {}).flatMap(([worker, count]) => {
    const problem = replicaProblem(worker, count);
    return problem ? [`--replicas ${worker}=${count}: ${problem}`] : [];
  });
  if (refused.length > 0) throw new ConfigError(refused);
  const replicas: Record<string, number> = { ...config.workers?.replicas, ...options.replicas };

  const firsts = firstInstances(config);
  const base = metricsPortBase(config);
  const processes = firsts.map((process, index) => withPort(process, base + index));
  // Further replicas take ports after every first instance, in a block per worker as large as its
  // partitions allow: a process's port never depends on how many replicas another worker has, so
  // a worker started as "audit-sink-2" computes the port the supervisor planned for it.
  let block = base + firsts.length;
  for (const [worker, shared] of Object.entries(REPLICABLE)) {
    const first = firsts.find((process) => process.worker === worker)!;
    for (let n = 2; n <= (replicas[worker] ?? 1); n++) processes.push(withPort({ ...first, id: `${worker}-${n}` }, block + n - 2));
    block += shared.maxReplicas - 1;
  }
  return processes.sort((a, b) => PLANNED_WORKERS.indexOf(a.worker as PlannedWorker) - PLANNED_WORKERS.indexOf(b.worker as PlannedWorker));
}

/** The METRICS_PORTs a config can use, further replicas included. */
export function metricsPortRange(config: Config): { first: number; last: number } {
  const first = metricsPortBase(config);
  const extra = Object.values(REPLICABLE).reduce((sum, shared) => sum + shared.maxReplicas - 1, 0);
  return { first, last: first + firstInstances(config).length + extra - 1 };
}

/** The ports of the simulated-venue worker, when a venue is simulated. */
export function simulatorPorts(config: Config): { first: number; last: number } | undefined {
  if (!config.venues.some((venue) => venue.simulated)) return undefined;
  const first = config.simulator?.port ?? DEFAULT_SIM_PORT;
  return { first, last: first + DEMO_VENUES.length - 1 };
}

const metricsPortBase = (config: Config) => config.workers?.metricsPortBase ?? DEFAULT_METRICS_PORT_BASE;

function withPort(process: PlannedProcess, port: number): PlannedProcess {
  return { ...process, env: { METRICS_PORT: String(port), ...process.env } };
}

/** One process per worker (per account for connectors), without METRICS_PORT. */
function firstInstances(config: Config): PlannedProcess[] {
  const kafka = kafkaSettings(config);
  const process = (worker: PlannedWorker, own: Partial<PlannedProcess>, id: string = worker): PlannedProcess => ({
    id,
    worker,
    env: { ...own.env, ...kafka.env },
    secrets: { ...own.secrets, ...kafka.secrets },
    origins: { ...own.origins, ...kafka.origins },
  });
  const processes: PlannedProcess[] = [];
  const sim = simulatorPorts(config);
  if (sim) processes.push(process('simulated-venue', { env: { SIM_PORT: String(sim.first) } }));
  config.accounts.forEach((account, index) => processes.push(process('ccxt-connector', connectorSettings(config, account, index), `ccxt-connector.${account.venue}.${account.account}`)));
  const routed = config.router.accounts ?? config.accounts.map(accountKey);
  processes.push(process('router', { env: { ROUTER_ACCOUNTS: routed.join(',') } }));
  // One portfolio per config today (checkConfig): its limits are the execution worker's.
  processes.push(process('execution', { env: { RISK_LIMITS_JSON: JSON.stringify(config.portfolios[0]!.risk) } }));
  processes.push(process('positions', {}));
  processes.push(process('reconciler', {}));
  processes.push(process('audit-sink', clickhouseSettings(config)));
  processes.push(process('gateway', gatewaySettings(config)));
  for (const strategy of config.strategies ?? []) processes.push(process('strategy', strategySettings(strategy), `strategy.${strategy.name}`));
  // One synchronizer serves every follower; `followers: []` runs it for followers added through the API.
  if (config.followers !== undefined) processes.push(process('synchronizer', { env: { SYNCHRONIZER_FOLLOWERS_JSON: JSON.stringify(config.followers) } }));
  for (const arbitrage of config.arbitrage ?? []) processes.push(process('arbitrage', arbitrageSettings(arbitrage), `arbitrage.${arbitrage.name}`));
  return processes;
}

function connectorSettings(config: Config, account: AccountConfig, index: number): Partial<PlannedProcess> {
  const venue = config.venues.find((candidate) => candidate.id === account.venue)!;
  const env: Record<string, string> = {
    VENUE_ID: venue.ccxt,
    VENUE_NAME: venue.id,
    ACCOUNT: account.account,
    PORTFOLIO: account.portfolio,
    INSTRUMENTS: config.router.symbols.join(','),
  };
  // A venue's market data is public: the connector of its first account publishes it, once.
  if (config.accounts.find((candidate) => candidate.venue === venue.id) === account) env.SYMBOLS = config.router.symbols.join(',');
  const urls = venueUrls(config, venue.id);
  if (urls) Object.assign(env, { VENUE_REST_URL: urls.rest, VENUE_WS_URL: urls.ws });
  if (venue.sandbox) env.VENUE_SANDBOX = 'true';

  // Each credential the venue needs, under its VENUE_* variable: named in the config, or a field of the file's entry.
  const where = configPath('accounts', index, 'credentials');
  const { credentials } = account;
  const entry = `venueCredentials[${accountKey(account)}]`;
  const secrets: Record<string, SecretRef> = {};
  const origins: Record<string, string> = {};
  for (const field of credentialFieldsOf(venue.ccxt, credentials)) {
    const setting = CREDENTIALS[field].env;
    secrets[setting] = 'env' in credentials ? { env: credentials.env[field]! } : { file: credentials.secretsFile, key: `${entry}.${field}` };
    origins[setting] = 'env' in credentials ? `${where}.env.${field}` : `${where}.secretsFile`;
  }
  return { env, secrets, origins };
}

/** The fields an account gives: those named in the config, or those its venue needs from a secrets file. */
function credentialFieldsOf(ccxtId: string, credentials: AccountConfig['credentials']): CredentialField[] {
  if ('env' in credentials) return CREDENTIAL_FIELDS.filter((field) => credentials.env[field] !== undefined);
  return neededCredentials(ccxtId);
}

/** A simulated venue at the simulated-venue worker's port for it, or one elsewhere at its own URLs. */
function venueUrls(config: Config, venueId: string): { rest: string; ws: string } | undefined {
  const venue = config.venues.find((candidate) => candidate.id === venueId)!;
  if (!venue.simulated) return venue.urls;
  const port = simulatorPorts(config)!.first + DEMO_VENUES.findIndex((plan) => plan.name === venue.id);
  return { rest: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}` };
}

/** Every worker talks to Kafka and the schema registry (the worker harness prepares its topics). */
function kafkaSettings(config: Config): Required<Pick<PlannedProcess, 'env' | 'secrets' | 'origins'>> {
  const local = resolveEndpoints({});
  const { kafka, schemaRegistry } = config.infrastructure ?? {};
  const env: Record<string, string> = {
    KAFKA_BROKERS: (kafka?.brokers ?? local.kafkaBrokers).join(','),
    SCHEMA_REGISTRY_URL: schemaRegistry?.url ?? local.schemaRegistryUrl,
  };
  const secrets: Record<string, SecretRef> = {};
  const origins: Record<string, string> = {};
  if (kafka?.sasl) {
    Object.assign(env, { KAFKA_SASL_MECHANISM: kafka.sasl.mechanism, KAFKA_SASL_USERNAME: kafka.sasl.username });
    secrets.KAFKA_SASL_PASSWORD = kafka.sasl.password;
    origins.KAFKA_SASL_PASSWORD = 'infrastructure.kafka.sasl.password.env';
  }
  if (kafka?.tls) env.KAFKA_TLS = 'true';
  if (kafka?.caFile) env.KAFKA_TLS_CA_FILE = kafka.caFile;
  if (schemaRegistry?.username && schemaRegistry.password) {
    env.SCHEMA_REGISTRY_USERNAME = schemaRegistry.username;
    secrets.SCHEMA_REGISTRY_PASSWORD = schemaRegistry.password;
    origins.SCHEMA_REGISTRY_PASSWORD = 'infrastructure.schemaRegistry.password.env';
  }
  return { env, secrets, origins };
}

/** Only the audit sink writes to ClickHouse. */
function clickhouseSettings(config: Config): Partial<PlannedProcess> {
  const clickhouse = config.infrastructure?.clickhouse;
  const env = { CLICKHOUSE_URL: clickhouse?.url ?? resolveEndpoints({}).clickhouseUrl };
  if (!clickhouse?.username || !clickhouse.password) return { env };
  return {
    env: { ...env, CLICKHOUSE_USERNAME: clickhouse.username },
    secrets: { CLICKHOUSE_PASSWORD: clickhouse.password },
    origins: { CLICKHOUSE_PASSWORD: 'infrastructure.clickhouse.password.env' },
  };
}

function strategySettings(strategy: StrategyConfig): Partial<PlannedProcess> {
  const env: Record<string, string> = { STRATEGY_NAME: strategy.name, STRATEGY_MODULE: strategy.module, PORTFOLIO: strategy.portfolio };
  if (strategy.settings) env.STRATEGY_SETTINGS_JSON = JSON.stringify(strategy.settings);
  return { env };
}

function arbitrageSettings({ name, portfolio, settings }: ArbitrageConfig): Partial<PlannedProcess> {
  return { env: { ARBITRAGE_NAME: name, PORTFOLIO: portfolio, ARBITRAGE_SETTINGS_JSON: JSON.stringify(settings) } };
}

function gatewaySettings(config: Config): Partial<PlannedProcess> {
  const { port, host, apiKeys, backtestsDir } = config.gateway;
  const env: Record<string, string> = { GATEWAY_PORT: String(port), ...(host && { GATEWAY_HOST: host }), ...(backtestsDir && { [BACKTESTS_DIR_KEY]: backtestsDir }) };
  // A secrets file is named, not read here: the gateway reads its "apiKeys" array itself.
  if ('secretsFile' in apiKeys) return { env: { ...env, CROSSVENUE_SECRETS_FILE: apiKeys.secretsFile } };
  return { env, secrets: { CROSSVENUE_API_KEYS: { env: apiKeys.env } }, origins: { CROSSVENUE_API_KEYS: 'gateway.apiKeys.env' } };
}
