import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { kafkaMessageBus, type MessageBus } from '@crossvenue/runtime';
import { ALL_TOPICS } from '@crossvenue/schemas';
import { createLogger, resolveEndpoints, seededRandom } from '@crossvenue/runtime/process';
import { gatewayClient } from '../embedded/gatewayClient.ts';
import { RunError } from '../supervisor/RunError.ts';
import { expectedDeadLetters, injectFault, type InjectedFault } from './injectFault.ts';
import { IntentLoad } from './IntentLoad.ts';
import { brokenInvariants, findingsOf, positionMoves, quantityDrift, venueMoves, type Findings } from './invariants.ts';
import { PipelineReader, type DeadLetter } from './PipelineReader.ts';
import type { Scenario } from './scenarios.ts';
import { simulatedVenues, writeSimulatedConfig, type RunPorts } from './simulatedRun.ts';
import { SupervisedRun } from './SupervisedRun.ts';
import { ledgerSince, venueLedger } from './venueLedger.ts';

export interface ChaosOptions {
  scenarios: readonly Scenario[];
  /** Intents a second, and for how long, in each scenario. */
  rate: number;
  seconds: number;
  seed: number;
  /** Progress lines for a person. */
  log: (line: string) => void;
}

export interface ScenarioResult {
  scenario: string;
  fault: string;
  seed: number;
  /** The fault came after this many steps (placements, amends, cancels) of the scenario's load. */
  faultAfterSteps: number;
  findings: Findings;
  deadLetters: DeadLetter[];
  /** Orders whose outcome was still not known when the scenario ended (none when it converged). */
  ordersInFlight: string[];
  /** From the end of the fault (the killed process back, the venue open, the faults lifted) until every invariant held; null: not within the limit. */
  recoveryMs: number | null;
  /** Each check after the fault was over, until the state converged: what the HTML report charts. */
  convergence: ConvergenceSample[];
  broken: string[];
}

/** One check of the state after a scenario's fault. */
export interface ConvergenceSample {
  /** Since the end of the fault. */
  afterMs: number;
  /** Per venue, what it traded less what the published position moved (BTC). */
  drift: Record<string, string>;
  /** Invariants not holding (yet) at this check. */
  broken: number;
  ordersInFlight: number;
}

/** Away from the example's ports and the distributed test's, below Linux's ephemeral range. */
const PORTS: RunPorts = { simulator: 26090, gateway: 26080, metricsBase: 26464 };
const ACCOUNT = { portfolio: 'demo', account: 'demo', instrument: 'BTC/USDT' };
const AMOUNT = '0.01';
/** Workers start through tsx, all at once, on a small machine. */
const UP_TIMEOUT_S = 480;
/** How long the state may take to converge after the fault before the scenario counts what is still wrong. */
const CONVERGE_TIMEOUT_MS = 180_000;
/** Positions published this recently may still be moving. */
const QUIET_MS = 5_000;

/**
 * `crossvenue chaos`: the simulated example as separate processes under `crossvenue up`, on the
 * real Kafka, registry and ClickHouse; per scenario a seeded intent load through the gateway with
 * one fault injected mid-stream, then the evidence: the simulated venues' own order and trade
 * lists, what the pipeline published on Kafka, and the ClickHouse audit log (invariants.ts).
 */
export async function runChaos(options: ChaosOptions): Promise<ScenarioResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'crossvenue-chaos-'));
  const apiKey = randomBytes(24).toString('hex');
  // The run's own topics, groups and transactional ids: no intent of an earlier run (or of a
  // developer's pipeline on the same stack) is executed, read or counted by this one.
  const namespace = `chaos-${apiKey.slice(0, 8)}.`;
  const env: NodeJS.ProcessEnv = { ...process.env, CROSSVENUE_RUN_DIR: join(dir, 'run'), CROSSVENUE_API_KEYS: `chaos:trader:${apiKey}`, KAFKA_NAMESPACE: namespace };
  delete env.CROSSVENUE_CONFIG;
  const run = new SupervisedRun(env);
  const runStartedAtMs = Date.now();
  const config = writeSimulatedConfig(dir, PORTS, '{ router: 1, audit-sink: 1 }');
  options.log(`starting the pipeline of the simulated example (crossvenue up, run folder ${dir}/run, Kafka namespace ${namespace})`);
  // Its warnings go to stderr, with the progress lines: stdout is the report (--json's lines) alone.
  const messages = kafkaMessageBus(`chaos-${apiKey.slice(0, 8)}`, createLogger('chaos', { level: 'warn', destination: process.stderr }), { namespace });
  const { clickhouseUrl, clickhouseAuth } = resolveEndpoints();
  const clickhouse = createClient({ url: clickhouseUrl, ...clickhouseAuth });
  try {
    const up = await run.command(['up', '--config', config, '--timeout', String(UP_TIMEOUT_S)]);
    if (up.code !== 0) throw new RunError(`crossvenue up failed: ${up.stderr.split('\n').at(-1)}`);
    const reader = new PipelineReader(messages, ACCOUNT);
    await reader.start();
    try {
      const results: ScenarioResult[] = [];
      for (const [index, scenario] of options.scenarios.entries()) {
        options.log(`${scenario.name}: ${scenario.what}, under ${options.rate} intents/s for ${options.seconds} s`);
        results.push(await runScenario(scenario, options.seed + index, { ...options, run, reader, messages, clickhouse, runStartedAtMs, api: gatewayClient(() => `http://127.0.0.1:${PORTS.gateway}`, apiKey) }));
      }
      return results;
    } finally {
      await reader.stop();
    }
  } finally {
    options.log('stopping the pipeline (crossvenue down) and deleting its topics');
    await run.command(['down']);
    await messages.bus.deleteTopics(ALL_TOPICS.flatMap((topic) => [topic.name, topic.deadLetter.name]));
    await messages.bus.close();
    await clickhouse.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ScenarioContext extends ChaosOptions {
  run: SupervisedRun;
  messages: MessageBus;
  clickhouse: ClickHouseClient;
  reader: PipelineReader;
  api: ReturnType<typeof gatewayClient>;
  /** Before the pipeline started: a fill is a phantom only if the venue made no such trade since. */
  runStartedAtMs: number;
}

async function runScenario(scenario: Scenario, seed: number, context: ScenarioContext): Promise<ScenarioResult> {
  const { run, reader, api, log } = context;
  await untilQuiet(reader);
  const sinceMs = Date.now();
  const baseline = new Map(reader.positions);
  const total = Math.max(1, Math.round(context.rate * context.seconds));
  // Mid-stream: somewhere in the first 60% of the load, the same for the same seed.
  const faultAfter = 1 + Math.floor(seededRandom(seed ^ 0x5eed)() * Math.max(1, Math.floor(total * 0.6)));
  const load = new IntentLoad(api, { ...ACCOUNT, rate: context.rate, seconds: context.seconds, seed, amount: AMOUNT });
  const venues = simulatedVenues(PORTS);
  let fault: InjectedFault | undefined;
  let faultAtMs = 0;
  let endedAtMs = 0;
  try {
    await load.run(async (steps) => {
      if (steps !== faultAfter) return;
      faultAtMs = Date.now();
      fault = await injectFault(scenario.fault, { run, venues, messages: context.messages });
      log(`${scenario.name}: ${fault.what} after ${steps} steps of the load`);
    });
  } finally {
    // Whatever the load did, the fault is lifted and waited out (a killed process back, a venue
    // open again) before the scenario is judged or the run stopped.
    endedAtMs = (await fault?.end()) ?? Date.now();
  }
  log(`${scenario.name}: the fault was over ${endedAtMs - faultAtMs} ms after it began; ${load.sent.length} intents sent; waiting for the state to converge`);

  let findings: Findings;
  let inFlight: string[] = [];
  let recoveryMs: number | null = null;
  const convergence: ConvergenceSample[] = [];
  const deadline = Date.now() + CONVERGE_TIMEOUT_MS;
  for (;;) {
    // Read once since the run began; the scenario's window is the part from `sinceMs` on.
    const ever = await Promise.all(venues.map((venue) => venueLedger(venue, context.runStartedAtMs)));
    const ledger = ledgerSince({ orders: ever.flatMap(({ orders }) => orders), trades: ever.flatMap(({ trades }) => trades) }, sinceMs);
    const fills = reader.fills.filter((fill) => fill.receivedAtMs >= sinceMs);
    const evidence = {
      intents: load.sent,
      // Every intent of the run (its namespace is its own): an order of an earlier scenario's intent
      // can reach a venue inside this one's window (a rate-limited PLACE retried late) and is no stray.
      placedOnBus: reader.intents.filter((intent) => intent.action === 'PLACE' && intent.portfolio === ACCOUNT.portfolio).map(({ intentId }) => intentId),
      venues: ledger,
      tradedInRun: new Set(ever.flatMap(({ trades }) => trades.map(({ venue, tradeId }) => `${venue} ${tradeId}`))),
      pipeline: { decisions: reader.decisions, verdicts: reader.verdicts, fills },
      positionsMoved: positionMoves(venues.map(({ venue }) => venue), baseline, reader.positions),
      venuesMoved: venueMoves(venues.map(({ venue }) => venue), ledger.trades),
      auditMissing: await missingFromAudit(context.clickhouse, fills.map(({ eventId }) => eventId)),
      expectedDeadLetters: expectedDeadLetters(scenario.fault),
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
    scenario: scenario.name,
    fault: scenario.what,
    seed,
    faultAfterSteps: faultAfter,
    findings,
    deadLetters: reader.deadLetters.filter(({ atMs }) => atMs >= sinceMs),
    ordersInFlight: inFlight,
    recoveryMs,
    convergence,
    // An order whose outcome is still unknown after the limit is a state that never told the truth.
    broken: [...brokenInvariants(findings), ...(inFlight.length > 0 ? [`${inFlight.length} orders still in flight ${CONVERGE_TIMEOUT_MS} ms after the fault (${inFlight.slice(0, 3).join(', ')})`] : [])],
  };
  log(`${scenario.name}: ${result.broken.length === 0 ? `every invariant held; converged ${recoveryMs} ms after the fault was over` : `BROKEN: ${result.broken.join('; ')}`}`);
  return result;
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
