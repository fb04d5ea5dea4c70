import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { applyClickHouseSchema, PrivateClickhouse, PrivateKafka, PrivateRegistry } from '@crossvenue/infra';
import { kafkaMessageBus, type MessageBus } from '@crossvenue/runtime';
import { createLogger, resolveEndpoints, seededRandom } from '@crossvenue/runtime/process';
import { gatewayClient } from '../embedded/gatewayClient.ts';
import { accountKey } from '../config/Config.ts';
import { RunError } from '../supervisor/RunError.ts';
import { expectedDeadLetters, injectFault, type InjectedFault, type RunServers } from './injectFault.ts';
import { IntentLoad } from './IntentLoad.ts';
import { startChaosVenues, SECOND_ACCOUNT } from './chaosVenues.ts';
import { brokenInvariants, findingsOf, positionMoves, quantityDrift, venueMoves, type Findings } from './invariants.ts';
import { PipelineReader, type DeadLetter } from './PipelineReader.ts';
import { faultSteps, soakTrial, trialOf, type Scenario, type Trial } from './scenarios.ts';
import { simulatedVenues, writeSimulatedConfig, type RunPorts, type VenueAccount } from './simulatedRun.ts';
import { SupervisedRun } from './SupervisedRun.ts';
import { venueLedger, type VenueLedger } from './venueLedger.ts';

export interface ChaosOptions {
  scenarios: readonly Scenario[];
  /** Intents a second, and for how long, in each scenario (or in the soak). */
  rate: number;
  seconds: number;
  seed: number;
  /** One load of `seconds` with every scenario's fault at a random time of it, judged at the end, instead of a load per scenario. */
  soak: boolean;
  /** Progress lines for a person. */
  log: (line: string) => void;
}

export interface ScenarioResult {
  /** The scenario's name, or "soak". */
  scenario: string;
  fault: string;
  seed: number;
  /** Each fault came after this many steps (placements, amends, cancels) of the load: one number, but in a soak. */
  faultAfterSteps: number[];
  findings: Findings;
  deadLetters: DeadLetter[];
  /** Orders whose outcome was still not known when the scenario ended (none when it converged). */
  ordersInFlight: string[];
  /** From the end of the (last) fault (the killed process back, the venue open, the faults lifted) until every invariant held; null: not within the limit. */
  recoveryMs: number | null;
  /** Each check after the fault was over, until the state converged: what the HTML report charts. */
  convergence: ConvergenceSample[];
  broken: string[];
}

/** One check of the state after a scenario's fault. */
export interface ConvergenceSample {
  /** Since the end of the fault. */
  afterMs: number;
  /** Per "venue|account", what it traded less what the published position moved (BTC). */
  drift: Record<string, string>;
  /** Invariants not holding (yet) at this check. */
  broken: number;
  ordersInFlight: number;
}

/** Away from the example's ports and the distributed test's, below Linux's ephemeral range. */
const PORTS: RunPorts = { simulator: 26090, gateway: 26080, metricsBase: 26464 };
/** What the load trades: one portfolio, whose accounts are every venue's demo account and SECOND_ACCOUNT. */
const BOOK = { portfolio: 'demo', instrument: 'BTC/USDT' };
const AMOUNT = '0.01';
/** Workers start through tsx, all at once, on a small machine. */
const UP_TIMEOUT_S = 480;
/** How long the state may take to converge after the fault before the scenario counts what is still wrong. */
const CONVERGE_TIMEOUT_MS = 180_000;
/** Positions published this recently may still be moving. */
const QUIET_MS = 5_000;

/**
 * `crossvenue chaos`: the simulated example as separate processes under `crossvenue up`, on the
 * real Kafka and registry, with venues and a ClickHouse of the run's own; per scenario a seeded
 * intent load through the gateway with one fault injected mid-stream, then the evidence: the
 * simulated venues' own order and trade lists (per account), what the pipeline published on Kafka,
 * and the ClickHouse audit log (invariants.ts).
 */
export async function runChaos(options: ChaosOptions): Promise<ScenarioResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crossvenue-chaos-'));
  const apiKey = randomBytes(24).toString('hex');
  const env: NodeJS.ProcessEnv = { ...process.env, CROSSVENUE_RUN_DIR: join(dir, 'run'), CROSSVENUE_API_KEYS: `chaos:trader:${apiKey}` };
  // The run's config names its own servers; a value from this environment would override it in every worker.
  for (const key of ['CROSSVENUE_CONFIG', 'KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'CLICKHOUSE_URL', 'KAFKA_NAMESPACE']) delete env[key];
  const run = new SupervisedRun(env);
  const runStartedAtMs = Date.now();
  let servers: Partial<RunServers> = {};
  let messages: MessageBus | undefined;
  let clickhouse: ClickHouseClient | undefined;
  let venues: Awaited<ReturnType<typeof startChaosVenues>> | undefined;
  try {
    // A Kafka, a registry and a ClickHouse of the run's own, so that restarting one (broker-restart,
    // registry-restart, clickhouse-down) disturbs no one else, and no record of an earlier run (or of
    // a developer's pipeline) is executed, read or counted by this one.
    options.log('starting a Kafka broker, a schema registry and a ClickHouse server of the run\'s own');
    servers = await startServers();
    const { kafka, registry, clickhouse: clickhouseServer } = servers as RunServers;
    await applyClickHouseSchema(clickhouseServer.url);
    clickhouse = createClient({ url: clickhouseServer.url });
    // Its warnings go to stderr, with the progress lines: stdout is the report (--json's lines) alone.
    const endpoints = resolveEndpoints({ KAFKA_BROKERS: kafka.brokers.join(','), SCHEMA_REGISTRY_URL: registry.url });
    messages = kafkaMessageBus(`chaos-${apiKey.slice(0, 8)}`, createLogger('chaos', { level: 'warn', destination: process.stderr }), { endpoints });
    venues = await startChaosVenues(dir, PORTS);
    const config = writeSimulatedConfig(dir, PORTS, '{ router: 1, audit-sink: 1 }', {
      moreAccounts: [SECOND_ACCOUNT],
      secretsFile: venues.secretsFile,
      kafkaBrokers: kafka.brokers,
      schemaRegistryUrl: registry.url,
      clickhouseUrl: clickhouseServer.url,
    });
    options.log(
      `starting the pipeline of the simulated example (crossvenue up, run folder ${dir}/run, Kafka ${kafka.brokers.join(',')}, registry ${registry.url}, ClickHouse ${clickhouseServer.url}, accounts ${venues.accounts.map(accountKey).join(', ')})`,
    );
    const up = await run.command(['up', '--config', config, '--timeout', String(UP_TIMEOUT_S)]);
    if (up.code !== 0) throw new RunError(`crossvenue up failed: ${up.stderr.split('\n').at(-1)}`);
    const reader = new PipelineReader(messages, BOOK);
    await reader.start();
    try {
      const results: ScenarioResult[] = [];
      const targets = { run, reader, messages, clickhouse, servers: servers as RunServers, accounts: venues.accounts, runStartedAtMs, api: gatewayClient(() => `http://127.0.0.1:${PORTS.gateway}`, apiKey) };
      const trials = options.soak ? [soakTrial(options.scenarios)] : options.scenarios.map(trialOf);
      for (const [index, trial] of trials.entries()) {
        options.log(`${trial.name}: ${trial.what}, under ${options.rate} intents/s for ${options.seconds} s`);
        results.push(await runTrial(trial, options.seed + index, { ...options, ...targets }));
      }
      return results;
    } finally {
      await reader.stop();
    }
  } finally {
    options.log('stopping the pipeline (crossvenue down), its venues and its servers');
    await run.command(['down']);
    await messages?.bus.close();
    await clickhouse?.close();
    await venues?.stop();
    await Promise.all(Object.values(servers).map((server) => server.remove()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The run's servers, started side by side; if one fails, those that started are removed. */
async function startServers(): Promise<RunServers> {
  const logger = createLogger('chaos', { level: 'warn', destination: process.stderr });
  const [kafka, registry, clickhouse] = await Promise.allSettled([PrivateKafka.start(logger), PrivateRegistry.start(logger), PrivateClickhouse.start()]);
  if (kafka.status === 'fulfilled' && registry.status === 'fulfilled' && clickhouse.status === 'fulfilled') return { kafka: kafka.value, registry: registry.value, clickhouse: clickhouse.value };
  const results = [kafka, registry, clickhouse];
  await Promise.all(results.map((result) => (result.status === 'fulfilled' ? result.value.remove() : undefined)));
  throw results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []))[0];
}

interface ScenarioContext extends ChaosOptions {
  run: SupervisedRun;
  messages: MessageBus;
  clickhouse: ClickHouseClient;
  servers: RunServers;
  /** Every account the load trades, on every venue. */
  accounts: readonly VenueAccount[];
  reader: PipelineReader;
  api: ReturnType<typeof gatewayClient>;
  /** Before the pipeline started: a fill is a phantom only if the venue made no such trade since. */
  runStartedAtMs: number;
}

async function runTrial(trial: Trial, seed: number, context: ScenarioContext): Promise<ScenarioResult> {
  const { run, reader, api, log, accounts } = context;
  await untilQuiet(reader);
  const sinceMs = Date.now();
  // The scenario's window on the venues' lists is what they did not list before it began: by id,
  // not by the venues' timestamps, which a skewed venue clock moves.
  const before = known(await ledgers(accounts, context.runStartedAtMs));
  const baseline = new Map(reader.positions);
  const total = Math.max(1, Math.round(context.rate * context.seconds));
  const steps = faultSteps(total, trial.faults.length, seededRandom(seed ^ 0x5eed));
  const load = new IntentLoad(api, { ...BOOK, rate: context.rate, seconds: context.seconds, seed, amount: AMOUNT, pinnedAccount: SECOND_ACCOUNT.account });
  const venues = simulatedVenues(PORTS);
  const targets = { run, venues, messages: context.messages, servers: context.servers };
  let fault: InjectedFault | undefined;
  let faultAtMs = 0;
  let endedAtMs = 0;
  // Lifts the fault under way and waits it out (a killed process back, a venue open again), once.
  const lift = async () => {
    const current = fault;
    fault = undefined;
    if (current) endedAtMs = await current.end();
  };
  try {
    await load.run(async (step) => {
      const index = steps.indexOf(step);
      if (index < 0) return;
      // One fault at a time: the one before is over first.
      await lift();
      faultAtMs ||= Date.now();
      fault = await injectFault(trial.faults[index]!, targets);
      log(`${trial.name}: ${fault.what} after ${step} steps of the load`);
    });
  } finally {
    // Whatever the load did, the fault is over before the scenario is judged or the run stopped.
    await lift();
    endedAtMs ||= Date.now();
  }
  log(`${trial.name}: the fault was over ${endedAtMs - faultAtMs} ms after it began; ${load.sent.length} intents sent; waiting for the state to converge`);

  let findings: Findings;
  let inFlight: string[] = [];
  let recoveryMs: number | null = null;
  const convergence: ConvergenceSample[] = [];
  const deadline = Date.now() + CONVERGE_TIMEOUT_MS;
  for (;;) {
    // Read once since the run began; the scenario's window is what was not listed before it.
    const ever = await ledgers(accounts, context.runStartedAtMs);
    const ledger = { orders: ever.orders.filter((order) => !before.has(`${order.venue} order ${order.orderId}`)), trades: ever.trades.filter((trade) => !before.has(`${trade.venue} trade ${trade.tradeId}`)) };
    const fills = reader.fills.filter((fill) => fill.receivedAtMs >= sinceMs);
    const evidence = {
      intents: load.sent,
      // Every intent of the run (its Kafka is its own): an order of an earlier scenario's intent
      // can reach a venue inside this one's window (a rate-limited PLACE retried late) and is no stray.
      placedOnBus: reader.intents.filter((intent) => intent.action === 'PLACE' && intent.portfolio === BOOK.portfolio).map(({ intentId }) => intentId),
      venues: ledger,
      tradedInRun: new Set(ever.trades.map(({ venue, tradeId }) => `${venue} ${tradeId}`)),
      pipeline: { decisions: reader.decisions, verdicts: reader.verdicts, fills },
      positionsMoved: positionMoves(accounts.map(accountKey), baseline, reader.positions),
      venuesMoved: venueMoves(accounts.map(accountKey), ledger.trades, accountKey),
      auditMissing: await missingFromAudit(context.clickhouse, fills.map(({ eventId }) => eventId)),
      expectedDeadLetters: trial.faults.flatMap(expectedDeadLetters),
      deadLetterTopics: [...new Set(reader.deadLetters.filter(({ atMs }) => atMs >= sinceMs).map(({ topic }) => topic))],
    };
    findings = findingsOf(evidence);
    inFlight = reader.ordersInFlight();
    const broken = brokenInvariants(findings).length;
    convergence.push({ afterMs: Date.now() - endedAtMs, drift: quantityDrift(evidence.positionsMoved, evidence.venuesMoved), broken, ordersInFlight: inFlight.length });
    // Converged: every check holds, no order waits on the venue, and positions have settled.
    if (broken === 0 && inFlight.length === 0 && Date.now() - reader.positionAtMs > QUIET_MS) {
      recoveryMs = Date.now() - endedAtMs;
      break;
    }
    if (Date.now() > deadline) break;
    await sleep(2_000);
  }
  const result = {
    scenario: trial.name,
    fault: trial.what,
    seed,
    faultAfterSteps: steps,
    findings,
    deadLetters: reader.deadLetters.filter(({ atMs }) => atMs >= sinceMs),
    ordersInFlight: inFlight,
    recoveryMs,
    convergence,
    // An order whose outcome is still unknown after the limit is a state that never told the truth.
    broken: [...brokenInvariants(findings), ...(inFlight.length > 0 ? [`${inFlight.length} orders still in flight ${CONVERGE_TIMEOUT_MS} ms after the fault (${inFlight.slice(0, 3).join(', ')})`] : [])],
  };
  log(`${trial.name}: ${result.broken.length === 0 ? `every invariant held; converged ${recoveryMs} ms after the fault was over` : `BROKEN: ${result.broken.join('; ')}`}`);
  return result;
}

/** Every account's ledger since `sinceMs`, as one. */
async function ledgers(accounts: readonly VenueAccount[], sinceMs: number): Promise<VenueLedger> {
  const each = await Promise.all(accounts.map((account) => venueLedger(account, sinceMs)));
  return { orders: each.flatMap(({ orders }) => orders), trades: each.flatMap(({ trades }) => trades) };
}

/** The ids of what a ledger lists: "venue order id" and "venue trade id" (ids are unique per venue, over its accounts). */
function known({ orders, trades }: VenueLedger): Set<string> {
  return new Set([...orders.map(({ venue, orderId }) => `${venue} order ${orderId}`), ...trades.map(({ venue, tradeId }) => `${venue} trade ${tradeId}`)]);
}

/** Waits until the reader has caught up, no order is in flight and no position has been published for a while: a baseline that stays. */
async function untilQuiet(reader: PipelineReader): Promise<void> {
  const deadline = Date.now() + CONVERGE_TIMEOUT_MS;
  while (!reader.caughtUp() || reader.ordersInFlight().length > 0 || Date.now() - reader.positionAtMs < QUIET_MS) {
    if (Date.now() > deadline) throw new RunError(`the pipeline did not settle within ${CONVERGE_TIMEOUT_MS} ms (${reader.ordersInFlight().length} orders in flight); no baseline to measure a scenario against`);
    await sleep(500);
  }
}

/** The fills' event ids the ClickHouse audit log (crossvenue.exec_fills) does not have. */
async function missingFromAudit(clickhouse: ClickHouseClient, eventIds: readonly string[]): Promise<string[]> {
  if (eventIds.length === 0) return [];
  const quoted = eventIds.map((id) => `'${id.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ');
  const result = await clickhouse.query({ query: `SELECT DISTINCT event_id FROM crossvenue.exec_fills WHERE event_id IN (${quoted})`, format: 'JSONEachRow' });
  const found = new Set((await result.json<{ event_id: string }>()).map(({ event_id: id }) => id));
  return eventIds.filter((id) => !found.has(id));
}
