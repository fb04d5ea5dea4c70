import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayClient, positionMoves, simulatedVenues, SupervisedRun, venueLedger, venueMoves, writeSimulatedConfig, type VenueTrade } from '@crossvenue/cli';
import { createLogger, kafkaMessageBus, partitionForKey } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { clientOrderId, TOPICS, type Alert, type Fill, type IntentId, type OrderCommand, type Position, type RiskDecision } from '@crossvenue/schemas';
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `crossvenue up` on the simulated example config, against the local stack, as a user runs it:
 * every worker its own process under the supervisor; `ps` reports them healthy; an order placed
 * through the run's gateway fills; a worker killed is restarted; `down` leaves none of the
 * processes it started. The run has its own folder (CROSSVENUE_RUN_DIR) and its own ports, so a
 * developer's run of the same example on this machine is not touched. It runs two execution and two
 * positions instances, so that killing the one holding the portfolio shows the other take it over.
 */

/** Below Linux's ephemeral range, away from the example's 8080, 9464… and 18090…. */
const PORTS = { simulator: 27090, gateway: 27080, metricsBase: 27464 };
/** Workers start through tsx: several seconds each, all at once, on a 2-core machine. */
const UP_TIMEOUT_S = 480;
const SYMBOL = 'BTC/USDT';
const SIMULATED_VENUES = simulatedVenues(PORTS);
const VENUE_NAMES = SIMULATED_VENUES.map(({ venue }) => venue);

async function metricsPage(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) });
  return response.text();
}

/** The sum of a metric's series whose labels include `labels`, on a Prometheus page; undefined when it has none. */
function metricValueOf(page: string, name: string, labels: Record<string, string>): number | undefined {
  let sum: number | undefined;
  for (const line of page.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    if (Object.entries(labels).every(([label, value]) => (match[2] ?? '').includes(`${label}="${value}"`))) sum = (sum ?? 0) + Number(match[3]);
  }
  return sum;
}

interface StateFile {
  supervisor: { pid: number };
  processes: Array<{ id: string; worker: string; pid: number | null; status: string; restarts: number }>;
}

interface PsJson {
  healthy: boolean;
  supervisor: { running: boolean };
  processes: Array<{ id: string; status: string; healthy: boolean; ready: boolean; restarts: number }>;
}

/** Alive and not a zombie: an exited process its parent has not reaped yet has done all it will do. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('crossvenue up: the distributed pipeline on this machine, on the local stack', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crossvenue-distributed-'));
  const runDir = join(dir, 'run');
  const stateFile = join(runDir, 'run', 'state.json');
  const apiKey = randomBytes(16).toString('hex');
  const env: NodeJS.ProcessEnv = { ...process.env, CROSSVENUE_RUN_DIR: runDir, CROSSVENUE_API_KEYS: `distributed-test:trader:${apiKey}` };
  delete env.CROSSVENUE_CONFIG;
  const run = new SupervisedRun(env);
  const api = gatewayClient(() => `http://127.0.0.1:${PORTS.gateway}`, apiKey);
  /** Every pid the run had: the supervisor's, each worker's, and any a restart replaced. */
  const pids = new Set<number>();
  const readState = () => JSON.parse(readFileSync(stateFile, 'utf8')) as StateFile;
  const remember = (state: StateFile) => {
    pids.add(state.supervisor.pid);
    for (const { pid } of state.processes) if (pid !== null) pids.add(pid);
  };
  let config: string;
  /** One process's log lines (pino JSON), the processes that had its id before included. */
  const logLines = async (id: string) =>
    (await run.command(['logs', id, '--lines', '1000000'])).stdout.split('\n').flatMap((line) => {
      try {
        return [JSON.parse(line) as { time: number; msg?: string; partitions?: unknown }];
      } catch {
        return [];
      }
    });
  /** When an execution instance took on an assignment, and the partitions it held from then on. */
  const holdingLines = async (id: string) =>
    (await logLines(id)).flatMap(({ time, msg, partitions }) => (msg?.startsWith('holding partitions [') && Array.isArray(partitions) ? [{ time, partitions: partitions as number[] }] : []));

  beforeAll(async () => {
    config = writeSimulatedConfig(dir, PORTS, '{ router: 1, audit-sink: 1, execution: 2, positions: 2 }');
    const up = await run.command(['up', '--config', config, '--timeout', String(UP_TIMEOUT_S)]);
    if (existsSync(stateFile)) remember(readState());
    expect(up.code, `up: ${up.stderr}`).toBe(0);
    expect(up.stdout).toContain(`gateway: http://127.0.0.1:${PORTS.gateway}`);
  }, (UP_TIMEOUT_S + 120) * 1000);

  afterAll(async () => {
    // Only when a test failed before `down` ran: nothing may be left running whatever happened.
    if (existsSync(stateFile)) await run.command(['down']);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('runs every planned process, and ps shows each healthy and ready', async () => {
    const plan = await run.command(['config', 'check', config, '--json']);
    const planned = (JSON.parse(plan.stdout) as { processes: Array<{ id: string }> }).processes.map(({ id }) => id);
    expect(planned).toContain('gateway');

    // A probe that times out on a loaded machine is not a dead worker: ask again for a while.
    let ps = await run.command(['ps', '--json']);
    await waitFor('ps to report every process healthy', async () => (ps = await run.command(['ps', '--json'])).code === 0, 60_000);
    const status = JSON.parse(ps.stdout) as PsJson;
    expect(status.healthy).toBe(true);
    expect(status.supervisor.running).toBe(true);
    expect(status.processes.map(({ id }) => id)).toEqual(planned);
    for (const entry of status.processes) expect(entry, entry.id).toMatchObject({ status: 'running', healthy: true, ready: true, restarts: 0 });

    const healthyRows = async () => (await run.command(['ps'])).stdout.split('\n').filter((line) => / running +0 +ok /.test(line)).length;
    await waitFor('the ps table to show every process running, never restarted, healthy', async () => (await healthyRows()) === planned.length, 60_000);
  }, 60_000);

  it('fills an order placed through the run\'s gateway', async () => {
    const amount = '0.01';
    const placed = await api<{ intentId: string }>('/execution/unified_order', { portfolio: 'demo', instrument: 'BTC/USDT', side: 'BUY', amount });
    expect(placed.status).toBe(202);
    const { intentId } = placed.body;
    let filled = new Decimal(0);
    await waitFor(
      `fills of ${intentId} adding up to ${amount}`,
      async () => {
        const { body } = await api<{ fills: Array<{ intentId: string | null; quantity: string }> }>('/execution/fills?limit=1000');
        filled = body.fills.filter((fill) => fill.intentId === intentId).reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0));
        return filled.gte(amount);
      },
      120_000,
    );
    expect(filled.toFixed()).toBe(amount);
    // Its costs, from the audit log the run's sink writes, through the gateway's report route.
    await waitFor(
      `intent-tca of ${intentId} through GET /reports`,
      async () => {
        const { status, body } = await api<{ rows: Array<{ intent_id: string; filled_quantity: string }> }>(`/reports/intent-tca?intent_id=${intentId}`);
        return status === 200 && body.rows.length === 1 && new Decimal(body.rows[0]!.filled_quantity).eq(amount);
      },
      60_000,
    );
  }, 180_000);

  it('restarts a worker that dies, counting the restart, and raises WORKER_DOWN for it', async () => {
    const before = readState().processes.find(({ id }) => id === 'positions')!;
    const alerts: Alert[] = [];
    const reader = kafkaMessageBus(`distributed-test-${apiKey}`, createLogger('distributed-test', { level: 'silent' }));
    const consumer = await reader.subscribe({
      groupId: `distributed-test-alerts-${apiKey}`,
      topics: [TOPICS.alerts],
      fromBeginning: true,
      handle: async (batch) => void alerts.push(...batch.map(({ value }) => value)),
    });
    process.kill(before.pid!, 'SIGKILL');
    await waitFor(
      'positions started again',
      () => {
        const now = readState().processes.find(({ id }) => id === 'positions')!;
        return now.status === 'running' && now.pid !== before.pid;
      },
      120_000,
    );
    remember(readState());
    await waitFor(
      'ps to show the new positions process healthy',
      async () => {
        const status = JSON.parse((await run.command(['ps', '--json'])).stdout) as PsJson;
        const positions = status.processes.find(({ id }) => id === 'positions')!;
        return positions.status === 'running' && positions.healthy && positions.restarts === before.restarts + 1;
      },
      240_000,
    );
    await waitFor('the WORKER_DOWN alert of the killed process', () => alerts.some(({ eventId }) => eventId === `worker-down:positions:${before.pid}`), 60_000);
    await consumer.stop();
    await reader.bus.close();
    expect(alerts.find(({ eventId }) => eventId === `worker-down:positions:${before.pid}`)).toMatchObject({
      code: 'WORKER_DOWN',
      severity: 'CRITICAL',
      component: 'supervisor',
      subject: 'positions',
    });
  }, 300_000);

  it("two execution and two positions instances, one of each killed with kill -9 mid-stream: no duplicate venue order, no fill lost or applied twice, positions equal the venues' ledgers", async () => {
    const amount = '0.01';
    // The example has one portfolio: all its execution records, and its positions, are on this partition.
    const partition = partitionForKey(TOPICS.routeDecisions.name, 'demo', TOPICS.routeDecisions.partitions);
    const plan = JSON.parse((await run.command(['config', 'check', config, '--json'])).stdout) as { processes: Array<{ id: string; worker: string; env: Record<string, string> }> };
    const instancesOf = (worker: string) => plan.processes.filter((entry) => entry.worker === worker).map(({ id }) => id);
    expect(instancesOf('execution')).toEqual(['execution', 'execution-2']);
    expect(instancesOf('positions')).toEqual(['positions', 'positions-2']);
    const metricsPort = (id: string) => Number(plan.processes.find((entry) => entry.id === id)!.env.METRICS_PORT);
    const pidOf = (id: string) => readState().processes.find((entry) => entry.id === id)!.pid!;

    // Everything the pipeline publishes that the assertions need, from the beginning.
    const reader = kafkaMessageBus(`distributed-test-execution-${apiKey}`, createLogger('distributed-test', { level: 'silent' }));
    const commands: OrderCommand[] = [];
    const verdicts: RiskDecision[] = [];
    const fills: Fill[] = [];
    /** The demo account's latest BTC/USDT position at each venue, as the positions worker published it. */
    const positions = new Map<string, Position>();
    let positionAtMs = 0;
    const consumer = await reader.subscribe({
      groupId: `distributed-test-ledgers-${apiKey}`,
      topics: [TOPICS.orderCommands, TOPICS.riskDecisions, TOPICS.fills, TOPICS.positions],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.orderCommands.name) commands.push(value as OrderCommand);
          else if (topic === TOPICS.riskDecisions.name) verdicts.push(value as RiskDecision);
          else if (topic === TOPICS.fills.name) fills.push(value as Fill);
          else {
            const position = value as Position;
            if (position.portfolio !== 'demo' || position.account !== 'demo' || position.instrument !== SYMBOL) continue;
            positions.set(position.venue, position);
            positionAtMs = Date.now();
          }
        }
      },
    });

    // Baseline: the earlier tests' positions, once every positions instance is ready and none publishes.
    await waitFor('the test\'s reader to catch up', () => consumer.catchUp().caughtUp, 120_000);
    await waitFor(
      'both positions instances ready',
      async () => {
        const status = JSON.parse((await run.command(['ps', '--json'])).stdout) as PsJson;
        return status.processes.filter(({ id }) => id.startsWith('positions')).every((entry) => entry.status === 'running' && entry.ready);
      },
      120_000,
    );
    await waitFor('no position published for 5 s', () => Date.now() - positionAtMs > 5_000, 120_000);
    const sinceMs = Date.now();
    const baseline = new Map(SIMULATED_VENUES.map(({ venue }) => [venue, positions.get(venue)]));

    // The execution instance that holds the demo partition (the other has no work), by its log.
    const holders = async () => {
      const holding: string[] = [];
      for (const id of instancesOf('execution')) if ((await holdingLines(id)).at(-1)?.partitions.includes(partition)) holding.push(id);
      return holding;
    };
    let executionHolders: string[] = [];
    await waitFor(`one execution instance holding partition ${partition}`, async () => (executionHolders = await holders()).length === 1, 60_000);
    const executionVictim = executionHolders[0]!;
    const executionSurvivor = instancesOf('execution').find((id) => id !== executionVictim)!;
    const executionPid = pidOf(executionVictim);
    // The positions instance that folds the demo fills: the one whose count of fills read goes up under load.
    const fillsRead = async (id: string) => metricValueOf(await metricsPage(metricsPort(id)), 'crossvenue_records_in_total', { topic: TOPICS.fills.name }) ?? 0;
    const fillsReadBefore = new Map<string, number>();
    for (const id of instancesOf('positions')) fillsReadBefore.set(id, await fillsRead(id));

    const intents: string[] = [];
    let executionKilledAtMs = 0;
    let positionsVictim = '';
    let positionsPid = 0;
    // 4 market intents a second for 10 s, alternating sides; the execution instance holding the
    // portfolio dies after the 12th, the positions instance folding it after the 24th.
    for (let i = 0; i < 40; i++) {
      const placed = await api<{ intentId: string }>('/execution/unified_order', { portfolio: 'demo', instrument: SYMBOL, side: i % 2 === 0 ? 'BUY' : 'SELL', amount });
      expect(placed.status).toBe(202);
      intents.push(placed.body.intentId);
      if (i === 11) {
        executionKilledAtMs = Date.now();
        process.kill(executionPid, 'SIGKILL');
      }
      if (i === 23) {
        const reading: string[] = [];
        for (const id of instancesOf('positions')) if ((await fillsRead(id)) > fillsReadBefore.get(id)!) reading.push(id);
        expect(reading, 'the positions instances that read fills under load').toHaveLength(1);
        positionsVictim = reading[0]!;
        positionsPid = pidOf(positionsVictim);
        process.kill(positionsPid, 'SIGKILL');
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const restarted = (id: string, pid: number) => {
      const now = readState().processes.find((entry) => entry.id === id)!;
      return now.status === 'running' && now.pid !== null && now.pid !== pid;
    };
    await waitFor(`${executionVictim} started again`, () => restarted(executionVictim, executionPid), 120_000);
    await waitFor(`${positionsVictim} started again`, () => restarted(positionsVictim, positionsPid), 120_000);
    remember(readState());

    const filledOf = new Map<string, Decimal>();
    const rejected = () => new Set(verdicts.filter(({ decision }) => decision === 'REJECTED').map(({ intentId }) => intentId));
    await waitFor(
      `all ${intents.length} intents filled (${amount} each) or refused by risk`,
      async () => {
        const { body } = await api<{ fills: Array<{ intentId: string | null; quantity: string }> }>('/execution/fills?limit=1000');
        filledOf.clear();
        for (const fill of body.fills) {
          if (fill.intentId !== null && intents.includes(fill.intentId)) filledOf.set(fill.intentId, (filledOf.get(fill.intentId) ?? new Decimal(0)).plus(fill.quantity));
        }
        const refused = rejected();
        return intents.every((id) => filledOf.get(id)?.gte(amount) || refused.has(id));
      },
      300_000,
    ).catch(() => undefined); // the assertions below say which intents, and what the venues did
    // Late duplicates would come after the fills: give them the time a re-route takes.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    // The venues' own lists: every order and trade of the demo accounts since the baseline.
    const ourIds = new Set(intents.map((id) => clientOrderId(id as IntentId, 0, 0).slice(0, 26)));
    const intentOf = new Map(intents.map((id) => [clientOrderId(id as IntentId, 0, 0).slice(0, 26), id]));
    const isOurs = (id: string) => id.length === 32 && ourIds.has(id.slice(0, 26));
    const ledgers = async () => {
      const each = await Promise.all(SIMULATED_VENUES.map((venue) => venueLedger(venue, sinceMs)));
      return { orders: each.flatMap(({ orders }) => orders), trades: each.flatMap(({ trades }) => trades) };
    };
    const venuesMoved = (trades: VenueTrade[]) => venueMoves(VENUE_NAMES, trades);
    const positionsMoved = () => positionMoves(VENUE_NAMES, baseline, positions);

    // Positions converge on the venues' ledgers once the instance holding the partition has read it
    // (a taken-over partition is read from the beginning, republishing positions on the way). The
    // fees count every fill, where buys and sells of the same amount leave the quantity where it was.
    let ledger = await ledgers();
    await waitFor(
      'the positions to move by what the venues traded, and stay',
      async () => {
        ledger = await ledgers();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return JSON.stringify(positionsMoved()) === JSON.stringify(venuesMoved(ledger.trades)) && Date.now() - positionAtMs > 5_000;
      },
      240_000,
    ).catch(() => undefined); // the last assertion shows the difference, after the ones that may explain it
    ledger = await ledgers();
    await consumer.stop();
    await reader.bus.close();
    const { orders, trades } = ledger;

    // Which execution instance took the partition after the kill, and when the killed one came back.
    const after = async (id: string) => (await holdingLines(id)).filter((line) => line.time >= executionKilledAtMs && line.partitions.includes(partition));
    const takeovers = [...(await after(executionSurvivor)).map((line) => ({ id: executionSurvivor, ...line })), ...(await after(executionVictim)).map((line) => ({ id: executionVictim, ...line }))];
    takeovers.sort((a, b) => a.time - b.time);
    const backAtMs = (await logLines(executionVictim)).find(({ time }) => time >= executionKilledAtMs)?.time;
    console.log(
      `killed ${executionVictim} (held partition ${partition}) and ${positionsVictim}; partition ${partition} then taken by ` +
        `${takeovers.map(({ id, time }) => `${id} after ${time - executionKilledAtMs} ms`).join(', ') || 'no instance'}; ${executionVictim} logged again after ${backAtMs === undefined ? '-' : backAtMs - executionKilledAtMs} ms`,
    );
    console.log(
      `since the baseline, the venues have ${JSON.stringify(Object.fromEntries(SIMULATED_VENUES.map(({ venue }) => [venue, `${orders.filter((order) => order.venue === venue).length} orders, ${trades.filter((trade) => trade.venue === venue).length} trades`])))}; ` +
        `positions moved ${JSON.stringify(positionsMoved())}`,
    );
    expect(takeovers.map(({ id }) => id), `an execution instance holding partition ${partition} after ${executionVictim} was killed`).not.toEqual([]);

    // First what risk refused, with its reasons: an intent it refused is one the venues never filled.
    expect(verdicts.filter(({ intentId, decision }) => intents.includes(intentId) && decision === 'REJECTED').map(({ message }) => message), 'risk rejections').toEqual([]);

    // 1. No duplicate venue order: each client order id once in the venues' own lists, and each
    // intent filled there exactly its amount.
    const ours = orders.filter((order) => isOurs(order.clientOrderId));
    const perClientOrderId = new Map<string, string[]>();
    for (const order of ours) perClientOrderId.set(order.clientOrderId, [...(perClientOrderId.get(order.clientOrderId) ?? []), order.venue]);
    expect([...perClientOrderId].filter(([, venues]) => venues.length > 1), 'client order ids the venues list more than once').toEqual([]);
    expect(orders.filter((order) => !isOurs(order.clientOrderId)).map(({ venue, clientOrderId: id }) => `${venue} ${id}`), 'venue orders of no intent of this test').toEqual([]);
    const venueFilled = new Map<string, Decimal>();
    for (const order of ours) {
      const intent = intentOf.get(order.clientOrderId.slice(0, 26))!;
      venueFilled.set(intent, (venueFilled.get(intent) ?? new Decimal(0)).plus(order.filled));
    }
    expect(intents.filter((id) => !venueFilled.get(id)?.eq(amount)).map((id) => `${id}: ${venueFilled.get(id)?.toFixed() ?? 0}`), 'intents the venues filled other than their amount').toEqual([]);

    // 2. What the single-instance test asserted: no PLACE twice, every intent filled exactly, no risk rejection, no leg lost.
    const ourIntents = new Set(intents);
    const places = new Map<string, number>();
    for (const { type, intentId, clientOrderId: id } of commands) if (type === 'PLACE' && ourIntents.has(intentId)) places.set(id, (places.get(id) ?? 0) + 1);
    expect([...places].filter(([, count]) => count > 1), 'PLACE commands sent more than once').toEqual([]);
    expect(intents.filter((id) => !filledOf.get(id)?.eq(amount)).map((id) => `${id}: ${filledOf.get(id)?.toFixed() ?? 0}`), 'intents filled other than their amount').toEqual([]);
    // The instances that took the partition knew the legs of the intents in flight.
    for (const id of instancesOf('execution')) {
      const log = await run.command(['logs', id, '--lines', '1000000']);
      expect(log.stdout.split('\n').filter((line) => /no leg|not a leg of a known intent/.test(line)), `${id}'s log`).toEqual([]);
    }

    // 3. No fill lost or applied twice: every trade the venues made for these orders is on the fills
    // topic (once or more: positions apply a venue trade once), none that they did not make, each with
    // the venue's quantity; and each venue's position moved by exactly what its trades did.
    const ourOrders = new Set(ours.map((order) => `${order.venue} ${order.orderId}`));
    const venueTrades = new Map(trades.filter((trade) => ourOrders.has(`${trade.venue} ${trade.orderId}`)).map((trade) => [`${trade.venue} ${trade.tradeId}`, trade.quantity]));
    const busFills = new Map(fills.filter((fill) => isOurs(fill.clientOrderId)).map((fill) => [`${fill.venue} ${fill.venueTradeId}`, new Decimal(fill.quantity)]));
    expect([...venueTrades.keys()].filter((id) => !busFills.has(id)), 'venue trades of these orders missing from the fills topic').toEqual([]);
    expect([...busFills.keys()].filter((id) => !venueTrades.has(id)), 'fills of these orders that no venue lists').toEqual([]);
    expect([...venueTrades].filter(([id, quantity]) => !busFills.get(id)?.eq(quantity)).map(([id, quantity]) => `${id}: venue ${quantity.toFixed()}, fill ${busFills.get(id)?.toFixed()}`), 'fills whose quantity is not the venue\'s').toEqual([]);
    expect(positionsMoved(), 'how the demo BTC/USDT positions changed over the test, per venue, against the venues\' trades').toEqual(venuesMoved(trades));
  }, 720_000);

  it('refuses a second up while the run is up', async () => {
    const again = await run.command(['up', '--config', config]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^crossvenue: already running \(supervisor pid \d+, config .+\); crossvenue ps shows it, crossvenue down stops it$/);
  }, 60_000);

  it('down stops every process the run started, and removes its state', async () => {
    remember(readState());
    const down = await run.command(['down']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/^stopped +supervisor \(pid \d+\)$/m);
    expect(existsSync(stateFile)).toBe(false);
    expect([...pids].filter(isAlive)).toEqual([]);
    // What is left of the run is its logs.
    const logs = await run.command(['logs', 'gateway', '--lines', '1']);
    expect(logs.code).toBe(0);
    expect(JSON.parse(logs.stdout)).toMatchObject({ component: 'gateway' });
  }, 120_000);
});
