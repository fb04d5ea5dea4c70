/**
 * Execution path benchmark through real Kafka and the schema registry, every part in a process of
 * its own as production runs them (in one process they would share an event loop, and the figures
 * would measure that contention). Intents are published at a steady rate; each part runs under a
 * namespace of the run's own (its topics, groups and transactional ids), removed at the end.
 *
 * 1. Commands: intent → order command. Router and execution worker (execution.bench.worker.ts);
 *    the driver answers each order with a FILLED event itself, as a venue would, so open orders do
 *    not pile up. BENCH_EXECUTION_RATE intents/s (default 1000) for BENCH_EXECUTION_SECONDS (3).
 * 2. Venue: intent → order acknowledged by a simulated venue, through the ccxt connector. A
 *    Binance-dialect simulated venue served on a local port (`crossvenue sim`), the ccxt connector
 *    of one account on it (the ccxt-connector worker, in cli/src/bench/executionBenchConnector.ts),
 *    the router and the execution worker; the venue's first answer to an order (ACCEPTED, FILLED,
 *    EXPIRED or REJECTED) is its acknowledgement. BENCH_VENUE_RATE intents/s (by default half the
 *    rate the connector took the warm-up's orders at, see venuePath) for BENCH_VENUE_SECONDS (20).
 *    BENCH_PROFILE=<dir> runs the router and the execution worker of both paths, and the connector,
 *    under `node --cpu-prof`, their profiles there (one file per process).
 * 3. The floor: a raw kafkajs produce → consume round trip at each of those rates (one hop).
 *
 * Clocks: the hops are differences of epoch-ms timestamps (Date.now()) taken by different
 * processes on this one machine, so one system clock at millisecond resolution: the driver's when
 * it publishes an intent and when it reads a record, the router's decidedAtMs, the execution
 * worker's createdAtMs of the command, and the connector's receivedAtMs of its order events (the
 * SUBMITTED it publishes before the venue call, and the event it makes of the venue's answer),
 * and the Kafka timestamp of the SUBMITTED record (CreateTime: the connector's clock when its
 * producer sent it). The raw round trip is timed with process.hrtime in the driver alone.
 * Prints p50/p99, never asserts. Run: npx tsx processors/src/execution/execution.bench.ts (needs
 * the local stack: `npx crossvenue stack status`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs, { type Admin, type Kafka } from 'kafkajs';
import { createLogger, kafkaMessageBus, resolveEndpoints, type MessageBus } from '@crossvenue/runtime';
import { TOPICS, type Intent, type OrderCommand, type OrderEvent, type RouteDecision } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { intentMessage } from '../intents/intentFixtures.ts';
import { orderEvent } from '../risk/riskFixtures.ts';
import { oneLevelBook, spotMarket } from './executionFixtures.ts';

const RATE = Number(process.env.BENCH_EXECUTION_RATE ?? 1000);
const SECONDS = Number(process.env.BENCH_EXECUTION_SECONDS ?? 3);
/**
 * The venue path's rate when set; by default half of what the connector was seen to take (see
 * venuePath), not RATE: above what it takes, orders queue in front of it and the figure would
 * measure the queue's length, not the path.
 */
const VENUE_RATE = process.env.BENCH_VENUE_RATE === undefined ? undefined : Number(process.env.BENCH_VENUE_RATE);
const VENUE_SECONDS = Number(process.env.BENCH_VENUE_SECONDS ?? 20);
const PROFILE_DIR = process.env.BENCH_PROFILE;
/** `node --cpu-prof` for each worker process when BENCH_PROFILE is set. */
const PROFILE = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
const TICK_MS = 10;
const WARM_UP = 50;
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;

const WORKER = fileURLToPath(new URL('./execution.bench.worker.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../../cli/bin/crossvenue.js', import.meta.url));
const CONNECTOR = fileURLToPath(new URL('../../../cli/src/bench/executionBenchConnector.ts', import.meta.url));

const now = () => Number(process.hrtime.bigint()) / 1e6;
const endpoints = resolveEndpoints();
// 'error': kafkajs logs each retry of the background progress transactions as a warning, which would bury the table.
const logger = createLogger('execution-bench', { level: 'error' });
const run = randomUUID().slice(0, 8);
/** Every topic of the run (the namespaces and the raw topic) starts with it, and is deleted at the end. */
const RUN_PREFIX = `bench-${run}-`;
const log = (line: string) => console.log(`[execution bench] ${line}`);

// --- processes ---

/** The processes started and not yet stopped: the run stops them all at the end, failed or not. */
const running = new Set<ChildProcess>();

/**
 * Starts `node <args>` in a process of its own and resolves once a line of its stdout passes
 * `ready` (with that line); its other lines go to stderr, marked with `name`.
 */
async function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, ready: (line: string) => boolean = (line) => line === 'ready'): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    let started = false;
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (!started && ready(line)) {
          started = true;
          clearTimeout(timer);
          resolve({ child, line });
        } else if (line.trim() !== '') process.stderr.write(`[${name}] ${line}\n`);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready`));
    });
  });
}

/** The router or the execution worker (execution.bench.worker.ts) under `namespace`. */
function startWorker(role: 'router' | 'execution', namespace: string, accounts: string) {
  return startProcess(role, [...PROFILE, '--import', 'tsx', WORKER], { BENCH_ROLE: role, BENCH_NAMESPACE: namespace, BENCH_ACCOUNTS: accounts });
}

/** SIGTERM, then SIGKILL if it has not exited in STOP_TIMEOUT_MS. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

const stopAll = () => Promise.all([...running].map(stopProcess));

// --- measuring ---

/** Sends `rate` records a second for `seconds`, in ticks of at least TICK_MS on a fixed schedule (a late tick does not delay the next). */
async function paced(rate: number, seconds: number, send: (count: number) => Promise<void>): Promise<{ sent: number; ms: number }> {
  const tickMs = Math.max(TICK_MS, 1000 / rate);
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const ticks = Math.round((seconds * 1000) / tickMs);
  const start = now();
  for (let tick = 0; tick < ticks; tick += 1) {
    const wait = start + tick * tickMs - now();
    if (wait > 0) await sleep(wait);
    await send(perTick);
  }
  return { sent: ticks * perTick, ms: now() - start };
}

function percentiles(latencies: number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

/** One intent's way through the path, in epoch ms (see the header for whose clock each is). */
interface Timeline {
  sent: number;
  decided?: number;
  /** The first command's createdAtMs, and when the driver read it. */
  made?: number;
  read?: number;
  /** The connector's SUBMITTED: made (taken off Kafka, about to call the venue), and its record's Kafka timestamp (sent). */
  submitted?: number;
  submittedSent?: number;
  /** The connector's event of the venue's first answer, which one, and when the driver read it. */
  answered?: number;
  answer?: string;
  answerRead?: number;
  /** Why the router routed nothing, when it did not. */
  unrouted?: string;
}

/**
 * The driver's side of a path run: publishes intents, reads the route decisions, order commands
 * and (with the venue) order events of them, and (without it) answers each order with FILLED.
 */
class Driver {
  readonly timelines = new Map<string, Timeline>();
  readonly tally = new Map<string, number>();
  private observer: { stop(): Promise<void> } | undefined;
  private sent = 0;

  constructor(
    readonly messages: MessageBus,
    private readonly withVenue: boolean,
    private readonly intent: (id: string, n: number) => Intent,
  ) {}

  async observe(): Promise<void> {
    const topics = this.withVenue ? [TOPICS.routeDecisions, TOPICS.orderCommands, TOPICS.orderEvents] : [TOPICS.routeDecisions, TOPICS.orderCommands];
    this.observer = await this.messages.subscribe({ groupId: 'execution-bench-observer', topics, fromBeginning: true, handle: (batch) => this.read(batch) });
  }

  private async read(batch: Array<{ topic: string; value: unknown; timestampMs: number }>): Promise<void> {
    const at = Date.now();
    const answers: OrderEvent[] = [];
    for (const { topic, value, timestampMs } of batch) {
      if (topic === TOPICS.routeDecisions.name) {
        const decision = value as RouteDecision;
        const timeline = this.timelines.get(decision.intentId);
        if (!timeline || timeline.decided !== undefined) continue;
        timeline.decided = decision.decidedAtMs;
        if (decision.legs.length === 0) timeline.unrouted = decision.candidates.map((candidate) => `${candidate.venue}: ${candidate.reason}`).join('; ') || 'no candidate';
      } else if (topic === TOPICS.orderCommands.name) {
        const command = value as OrderCommand;
        const timeline = this.timelines.get(command.intentId);
        if (timeline && timeline.made === undefined) [timeline.made, timeline.read] = [command.createdAtMs, at];
        // The venue's answer: every order fills at once, so open orders stay as few as a desk's.
        if (!this.withVenue && command.type === 'PLACE') answers.push(orderEvent(command, { eventId: randomUUID(), previousState: 'PENDING_NEW', event: 'FILLED', state: 'FILLED', filledQuantity: command.quantity, remainingQuantity: '0' }));
      } else {
        const event = value as OrderEvent;
        const timeline = this.timelines.get(event.intentId ?? '');
        if (!timeline) continue;
        const measured = !event.intentId!.startsWith('warm');
        // The record's timestamp is the connector's producer's clock when it sent the record (kafkajs CreateTime).
        if (event.event === 'SUBMITTED' && timeline.submitted === undefined) [timeline.submitted, timeline.submittedSent] = [event.receivedAtMs, timestampMs];
        if (event.event === 'SUBMIT_UNKNOWN' && measured) this.count('SUBMIT_UNKNOWN (no answer to the submit)');
        // The first word from the venue (a response, its stream or a lookup), whatever it says.
        if (event.source !== 'INTERNAL' && timeline.answered === undefined) {
          [timeline.answered, timeline.answer, timeline.answerRead] = [event.receivedAtMs, event.event, at];
          if (measured) this.count(event.reason ? `${event.event} (${event.reason})` : event.event);
        }
      }
    }
    await this.messages.publish(TOPICS.orderEvents, answers);
  }

  private count(what: string): void {
    this.tally.set(what, (this.tally.get(what) ?? 0) + 1);
  }

  /** Publishes `count` intents now. */
  async publish(prefix: string, count: number): Promise<void> {
    const at = Date.now();
    const intents = Array.from({ length: count }, () => {
      const n = this.sent++;
      const id = `${prefix}-${n}`;
      this.timelines.set(id, { sent: at });
      return this.intent(id, n);
    });
    await this.messages.publish(TOPICS.intents, intents);
  }

  private done(timeline: Timeline): boolean {
    if (timeline.unrouted !== undefined) return true;
    return timeline.decided !== undefined && timeline.read !== undefined && (!this.withVenue || timeline.answerRead !== undefined);
  }

  /** Waits for every intent to be done; a timeout says how far each one that was not came. */
  async settle(what: string, timeoutMs: number): Promise<void> {
    try {
      await waitFor(what, () => [...this.timelines.values()].every((timeline) => this.done(timeline)), timeoutMs);
    } catch (error) {
      const waiting = [...this.timelines.values()].filter((timeline) => !this.done(timeline));
      const stage = (t: Timeline) => (t.decided === undefined ? 'no route decision' : t.read === undefined ? 'no order command' : t.submitted === undefined ? 'not taken by the connector' : 'no venue answer');
      const stages = new Map<string, number>();
      for (const timeline of waiting) stages.set(stage(timeline), (stages.get(stage(timeline)) ?? 0) + 1);
      throw new Error(`${(error as Error).message}: ${waiting.length} of ${this.timelines.size} intents waiting (${[...stages].map(([name, n]) => `${n} ${name}`).join(', ')})`);
    }
  }

  /** The measured intents (the warm-up's aside): the timelines of those routed, and why the others were not. */
  measured(): { timelines: Timeline[]; unrouted: string[] } {
    const measured = [...this.timelines.entries()].filter(([id]) => !id.startsWith('warm')).map(([, timeline]) => timeline);
    return { timelines: measured.filter((timeline) => timeline.unrouted === undefined), unrouted: measured.flatMap((timeline) => timeline.unrouted ?? []) };
  }

  /** Warms the path up with WARM_UP intents published at once, and waits for every one to be done. */
  async warmUp(timeoutMs: number): Promise<void> {
    await this.publish('warm', WARM_UP);
    await this.settle('the warm-up intents', timeoutMs);
  }

  /** Sends `rate` intents a second for `seconds` and waits for every one to be done. */
  async run(rate: number, seconds: number, timeoutMs: number): Promise<{ sent: number; ms: number }> {
    const sending = await paced(rate, seconds, (count) => this.publish('i', count));
    log(`sent ${sending.sent} intents in ${(sending.ms / 1000).toFixed(2)} s; waiting for every one`);
    await this.settle('every intent', timeoutMs);
    return sending;
  }

  async stop(): Promise<void> {
    await this.observer?.stop();
    await this.messages.bus.close();
  }
}

/** Path 1: the driver is the venue. */
async function commandPath(): Promise<{ timelines: Timeline[]; unrouted: string[]; sent: number; ms: number }> {
  const namespace = `${RUN_PREFIX}commands.`;
  const intent = (id: string): Intent => intentMessage(id, { amount: '0.01', limitPrice: '101' }, { eventId: `${id}:place`, createdAtMs: Date.now() });
  const driver = new Driver(kafkaMessageBus('execution-bench', logger, { endpoints, namespace }), false, intent);
  const { messages } = driver;
  await messages.prepare([TOPICS.symbols, TOPICS.bookSnapshots, TOPICS.intents, TOPICS.orderEvents]);
  await messages.publish(TOPICS.symbols, [spotMarket('binance'), spotMarket('okx')]);
  // Fresh books every second, as connectors publish them: the router ignores a book older than 5 s.
  const publishBooks = () =>
    messages.publish(TOPICS.bookSnapshots, [
      oneLevelBook('binance', { price: '100', quantity: '1000' }, { price: '99.9', quantity: '1000' }),
      oneLevelBook('okx', { price: '100.5', quantity: '1000' }, { price: '99.8', quantity: '1000' }),
    ]);
  await publishBooks();
  const books = setInterval(() => void publishBooks(), 1_000);
  try {
    log(`commands: starting the router and the execution worker (namespace ${namespace})`);
    await Promise.all([startWorker('router', namespace, 'binance/main,okx/main'), startWorker('execution', namespace, 'binance/main,okx/main')]);
    await driver.observe();
    log(`commands: ${WARM_UP} warm-up intents, then ${RATE} intents/s for ${SECONDS} s; the driver answers each order FILLED`);
    await driver.warmUp(120_000);
    const sending = await driver.run(RATE, SECONDS, 120_000);
    return { ...driver.measured(), ...sending };
  } finally {
    clearInterval(books);
    await stopAll();
    await driver.stop();
  }
}

interface SimulatedVenues {
  venues: Array<{ name: string; restUrl: string; wsUrl: string; accounts: Array<{ apiKey: string; secret: string }> }>;
}

/** Path 2: a simulated venue and the ccxt connector of one account on it. */
async function venuePath(): Promise<{ timelines: Timeline[]; unrouted: string[]; tally: Map<string, number>; rate: number; capacity: number; sent: number; ms: number }> {
  const namespace = `${RUN_PREFIX}venue.`;
  // BTC/USDT around 64,000 (lot 0.00001, min notional 5): 0.001 BTC, sides alternating so neither
  // balance of the demo account (10 BTC, 1,000,000 USDT) runs out; IOC, with a limit well through
  // the book, so each order takes at once at the price the router saw (the router sends each leg
  // limited to the worst level it takes) and none rests: what the book no longer has expires.
  const intent = (id: string, n: number): Intent =>
    intentMessage(id, { side: n % 2 === 0 ? 'BUY' : 'SELL', amount: '0.001', limitPrice: n % 2 === 0 ? '70000' : '58000', timeInForce: 'IOC' }, { eventId: `${id}:place`, createdAtMs: Date.now() });
  const driver = new Driver(kafkaMessageBus('execution-bench', logger, { endpoints, namespace }), true, intent);
  let sim: { child: ChildProcess; line: string } | undefined;
  try {
    await driver.messages.prepare([TOPICS.intents]);
    log('venue: starting a simulated Binance-dialect venue (crossvenue sim)');
    sim = await startProcess('sim', [CLI, 'sim', '--venues', 'binance', '--symbols', 'BTC/USDT', '--json'], { LOG_LEVEL: 'warn' }, (l) => l.startsWith('{"venues"'));
    const venue = (JSON.parse(sim.line) as SimulatedVenues).venues[0]!;
    const accounts = `${venue.name}/main`;
    log(`venue: ${venue.name} at ${venue.restUrl}; starting the ccxt connector of ${accounts}, the router and the execution worker (namespace ${namespace})`);
    const connector = {
      BENCH_NAMESPACE: namespace,
      VENUE_ID: 'binance',
      VENUE_NAME: venue.name,
      ACCOUNT: 'main',
      PORTFOLIO: 'p1', // intentMessage's
      VENUE_API_KEY: venue.accounts[0]!.apiKey,
      VENUE_API_SECRET: venue.accounts[0]!.secret,
      VENUE_REST_URL: venue.restUrl,
      VENUE_WS_URL: venue.wsUrl,
      INSTRUMENTS: 'BTC/USDT',
      SYMBOLS: 'BTC/USDT', // its books and symbol metadata are what the router routes on
    };
    await Promise.all([
      startProcess('connector', [...PROFILE, '--import', 'tsx', CONNECTOR], connector),
      startWorker('router', namespace, accounts),
      startWorker('execution', namespace, accounts),
    ]);
    await driver.observe();
    log(`venue: ${WARM_UP} warm-up intents at once, BTC/USDT 0.001 IOC, buy and sell in turn`);
    await driver.warmUp(300_000);
    // The warm-up's orders reach the connector at once and queue: the pace it takes them at is what it can take.
    const capacity = takenRate([...driver.timelines.values()]);
    const rate = VENUE_RATE ?? Math.min(RATE, Math.max(1, Math.floor(capacity / 2)));
    log(`venue: the connector took the warm-up orders at ${capacity.toFixed(0)}/s; ${rate} intents/s for ${VENUE_SECONDS} s`);
    const sending = await driver.run(rate, VENUE_SECONDS, 300_000);
    return { ...driver.measured(), tally: driver.tally, rate, capacity, ...sending };
  } finally {
    // The connector before the venue, so that it does not take the venue's going for a failure.
    await Promise.all([...running].filter((child) => child !== sim?.child).map(stopProcess));
    await stopAll();
    await driver.stop();
  }
}

/** The floor: kafkajs produce → consume, one hop, at `rate`. */
async function rawRoundTrip(raw: Kafka, admin: Admin, rate: number, seconds: number): Promise<number[]> {
  const topic = `${RUN_PREFIX}raw.roundtrip-${rate}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const producer = raw.producer();
  const consumer = raw.consumer({ groupId: `${RUN_PREFIX}raw-${rate}`, maxWaitTimeInMs: 100 });
  const latencies: number[] = [];
  await Promise.all([producer.connect(), consumer.connect()]);
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachBatch: async ({ batch }) => void batch.messages.forEach((message) => latencies.push(now() - Number(message.value!.toString()))) });
    await sleep(3_000); // let the group settle: a round trip measured during the join would be the join
    const { sent } = await paced(rate, seconds, async (count) => {
      const at = String(now());
      await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ key: String(i), value: at })) });
    });
    await waitFor('the raw consumer to read every record', () => latencies.length === sent, 120_000);
    return latencies;
  } finally {
    await Promise.all([producer.disconnect(), consumer.disconnect()]);
  }
}

/** How fast the connector took these intents' orders (its SUBMITTED, one order after the other), per second. */
function takenRate(timelines: Timeline[]): number {
  const taken = timelines.map((timeline) => timeline.submitted!);
  return ((taken.length - 1) * 1000) / Math.max(1, Math.max(...taken) - Math.min(...taken));
}

/** The latencies from one point of the timelines to another. */
const hop = (timelines: Timeline[], from: keyof Timeline, to: keyof Timeline) => timelines.map((t) => (t[to] as number) - (t[from] as number));

const raw = new kafkajs.Kafka({ clientId: 'execution-bench-raw', brokers: endpoints.kafkaBrokers, logLevel: kafkajs.logLevel.NOTHING });
const admin = raw.admin();
await admin.connect();
let commands: Awaited<ReturnType<typeof commandPath>>;
let venue: Awaited<ReturnType<typeof venuePath>>;
const rawAt = new Map<number, number[]>();
try {
  commands = await commandPath();
  venue = await venuePath();
  for (const rate of new Set([RATE, venue.rate])) {
    log(`raw: kafkajs produce → consume at ${rate}/s for ${SECONDS} s`);
    rawAt.set(rate, await rawRoundTrip(raw, admin, rate, SECONDS));
  }
} finally {
  await stopAll();
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(RUN_PREFIX));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  await admin.disconnect();
}

const c = commands.timelines;
const v = venue.timelines;
const rows: Array<readonly [string, number[]]> = [
  [`Kafka: intent → order command (router, then execution)`, hop(c, 'sent', 'read')],
  ['  hop: intent published → route decided (router)', hop(c, 'sent', 'decided')],
  ['  hop: route decided → command made (execution)', hop(c, 'decided', 'made')],
  ['  hop: command made → read by a consumer', hop(c, 'made', 'read')],
  [`Kafka: raw kafkajs produce → consume round trip`, rawAt.get(RATE)!],
  [`Venue: intent → venue's acknowledgement read (+ connector, venue)`, hop(v, 'sent', 'answerRead')],
  ['  hop: intent published → route decided (router)', hop(v, 'sent', 'decided')],
  ['  hop: route decided → command made (execution)', hop(v, 'decided', 'made')],
  ['  hop: command made → venue answer event made (connector)', hop(v, 'made', 'answered')],
  ['    command made → taken by the connector (its SUBMITTED made)', hop(v, 'made', 'submitted')],
  ['    SUBMITTED made → sent to Kafka (events of the orders under way share sends)', hop(v, 'submitted', 'submittedSent')],
  ['    SUBMITTED sent → venue answer made (its ack, ccxt, REST)', hop(v, 'submittedSent', 'answered')],
  ['  hop: answer event made → read by a consumer', hop(v, 'answered', 'answerRead')],
  ['  the same intents: intent → order command read', hop(v, 'sent', 'read')],
  ...(venue.rate === RATE ? [] : ([[`Kafka: raw kafkajs produce → consume round trip`, rawAt.get(venue.rate)!]] as const)),
];

const rateOf = (run: { sent: number; ms: number }) => (run.sent * 1000) / run.ms;
/** Why a rate was not the one asked for, when it was not. */
const behind = (run: { sent: number; ms: number }, rate: number) =>
  rateOf(run) < 0.9 * rate ? `          NOT AT ${rate}/s: the driver published at ${rateOf(run).toFixed(0)}/s; each publish waits for Kafka's acknowledgement (one request in flight), and on this machine that took longer than a tick` : null;
const taken = takenRate(v);
console.log(`execution benchmark (${new Date().toISOString()})`);
console.log(`commands: ${commands.sent} intents at ${RATE}/s over ${SECONDS} s (sent at ${rateOf(commands).toFixed(0)}/s); the driver answers each order FILLED`);
const commandsBehind = behind(commands, RATE);
if (commandsBehind) console.log(commandsBehind);
console.log(`venue:    ${venue.sent} intents at ${venue.rate}/s over ${VENUE_SECONDS} s (sent at ${rateOf(venue).toFixed(0)}/s) through the ccxt connector to a simulated venue; the connector took them at ${taken.toFixed(0)}/s`);
if (venue.rate < RATE && VENUE_RATE !== undefined) console.log(`          not at ${RATE}/s: BENCH_VENUE_RATE`);
else if (venue.rate < RATE) {
  console.log(`          not at ${RATE}/s: the connector took the ${WARM_UP} warm-up orders, sent at once, at ${venue.capacity.toFixed(0)}/s, and the venue path ran at half of that, so that the queue in front of it stays short (BENCH_VENUE_RATE sets the rate).`);
  console.log(`          The connector takes up to 32 orders of a batch at once; each waits for its SUBMITTED to be published (acks=all) before the venue call, then for the call,`);
  console.log(`          which ccxt paces to Binance spot's request weights (Binance itself allows an account 100 orders per 10 s).`);
}
const venueBehind = behind(venue, venue.rate);
if (venueBehind) console.log(venueBehind);
if (taken < 0.9 * venue.rate) {
  console.log(`          NOT SUSTAINED: the connector took ${taken.toFixed(0)} orders/s of ${venue.rate}/s offered, so the venue figures below are mostly the queue in front of it (set BENCH_VENUE_RATE lower)`);
}
console.log(`venue answers: ${[...venue.tally].map(([what, count]) => `${what} ${count}`).join(', ')}`);
for (const [name, run] of [['commands', commands], ['venue', venue]] as const) {
  if (run.unrouted.length > 0) console.log(`UNROUTED (${name}): the router routed ${run.unrouted.length} intents nowhere, left out of the figures; e.g. ${run.unrouted[0]}`);
}
console.log(`${'what'.padEnd(64)} ${'records'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
for (const [name, values] of rows) {
  const { p50, p99 } = percentiles(values);
  console.log(`${name.padEnd(64)} ${String(values.length).padStart(8)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}`);
}
const figure = (values: number[]) => {
  const { p50, p99 } = percentiles(values);
  return `p50 ${p50.toFixed(0)} / p99 ${p99.toFixed(0)} ms`;
};
console.log(
  `result: intent → order command ${figure(hop(c, 'sent', 'read'))} at ${RATE}/s; intent → venue ack ${figure(hop(v, 'sent', 'answerRead'))} at ${venue.rate}/s; raw Kafka round trip ${figure(rawAt.get(RATE)!)} at ${RATE}/s`,
);
