import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gatewayClient } from '@crossvenue/cli';
import { createLogger, kafkaMessageBus } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { TOPICS, type Alert, type OrderCommand, type RiskDecision } from '@crossvenue/schemas';
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `crossvenue up` on the simulated example config, against the local stack, as a user runs it:
 * every worker its own process under the supervisor; `ps` reports them healthy; an order placed
 * through the run's gateway fills; a worker killed is restarted; `down` leaves none of the
 * processes it started. The run has its own folder (CROSSVENUE_RUN_DIR) and its own ports, so a
 * developer's run of the same example on this machine is not touched.
 */

const BIN = fileURLToPath(new URL('../cli/bin/crossvenue.js', import.meta.url));
const EXAMPLE_DIR = fileURLToPath(new URL('../config/examples/', import.meta.url));
/** Below Linux's ephemeral range, away from the example's 8080, 9464… and 18090…. */
const PORTS = { simulator: 27090, gateway: 27080, metricsBase: 27464 };
/** Workers start through tsx: several seconds each, all at once, on a 2-core machine. */
const UP_TIMEOUT_S = 480;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function crossvenue(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject).once('close', (code) => resolve({ code, stdout, stderr: stderr.trim() }));
  });
}

/** The simulated example with this test's ports, its secrets file named by absolute path. */
function exampleConfig(dir: string): string {
  let text = readFileSync(join(EXAMPLE_DIR, 'simulated.yaml'), 'utf8');
  const replace = (pattern: RegExp, by: string) => {
    expect(text, `the example config has ${pattern}`).toMatch(pattern);
    text = text.replace(pattern, by);
  };
  replace(/^simulator:\n {2}port: \d+$/m, `simulator:\n  port: ${PORTS.simulator}`);
  replace(/^gateway:\n {2}port: \d+$/m, `gateway:\n  port: ${PORTS.gateway}`);
  replace(/metricsPortBase: \d+/, `metricsPortBase: ${PORTS.metricsBase}`);
  replace(/secretsFile: simulated\.secrets\.json/g, `secretsFile: ${join(EXAMPLE_DIR, 'simulated.secrets.json')}`);
  const file = join(dir, 'crossvenue.yaml');
  writeFileSync(file, text);
  return file;
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
  const api = gatewayClient(() => `http://127.0.0.1:${PORTS.gateway}`, apiKey);
  /** Every pid the run had: the supervisor's, each worker's, and any a restart replaced. */
  const pids = new Set<number>();
  const readState = () => JSON.parse(readFileSync(stateFile, 'utf8')) as StateFile;
  const remember = (state: StateFile) => {
    pids.add(state.supervisor.pid);
    for (const { pid } of state.processes) if (pid !== null) pids.add(pid);
  };
  let config: string;

  beforeAll(async () => {
    config = exampleConfig(dir);
    const up = await crossvenue(['up', '--config', config, '--timeout', String(UP_TIMEOUT_S)], env);
    if (existsSync(stateFile)) remember(readState());
    expect(up.code, `up: ${up.stderr}`).toBe(0);
    expect(up.stdout).toContain(`gateway: http://127.0.0.1:${PORTS.gateway}`);
  }, (UP_TIMEOUT_S + 120) * 1000);

  afterAll(async () => {
    // Only when a test failed before `down` ran: nothing may be left running whatever happened.
    if (existsSync(stateFile)) await crossvenue(['down'], env);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('runs every planned process, and ps shows each healthy and ready', async () => {
    const plan = await crossvenue(['config', 'check', config, '--json'], env);
    const planned = (JSON.parse(plan.stdout) as { processes: Array<{ id: string }> }).processes.map(({ id }) => id);
    expect(planned).toContain('gateway');

    // A probe that times out on a loaded machine is not a dead worker: ask again for a while.
    let ps = await crossvenue(['ps', '--json'], env);
    await waitFor('ps to report every process healthy', async () => (ps = await crossvenue(['ps', '--json'], env)).code === 0, 60_000);
    const status = JSON.parse(ps.stdout) as PsJson;
    expect(status.healthy).toBe(true);
    expect(status.supervisor.running).toBe(true);
    expect(status.processes.map(({ id }) => id)).toEqual(planned);
    for (const entry of status.processes) expect(entry, entry.id).toMatchObject({ status: 'running', healthy: true, ready: true, restarts: 0 });

    const healthyRows = async () => (await crossvenue(['ps'], env)).stdout.split('\n').filter((line) => / running +0 +ok /.test(line)).length;
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
        const status = JSON.parse((await crossvenue(['ps', '--json'], env)).stdout) as PsJson;
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

  it('kill -9 of execution under load: the restarted worker sends no PLACE twice, re-routes nothing filled, rejects nothing while catching up', async () => {
    const reader = kafkaMessageBus(`distributed-test-execution-${apiKey}`, createLogger('distributed-test', { level: 'silent' }));
    const commands: OrderCommand[] = [];
    const verdicts: RiskDecision[] = [];
    const consumer = await reader.subscribe({
      groupId: `distributed-test-commands-${apiKey}`,
      topics: [TOPICS.orderCommands, TOPICS.riskDecisions],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.orderCommands.name) commands.push(value as OrderCommand);
          else verdicts.push(value as RiskDecision);
        }
      },
    });
    const execution = readState().processes.find(({ id }) => id === 'execution')!;
    const amount = '0.01';
    const intents: string[] = [];
    // 4 market intents a second for 10 s, alternating sides; the worker dies after the 12th.
    for (let i = 0; i < 40; i++) {
      const placed = await api<{ intentId: string }>('/execution/unified_order', { portfolio: 'demo', instrument: 'BTC/USDT', side: i % 2 === 0 ? 'BUY' : 'SELL', amount });
      expect(placed.status).toBe(202);
      intents.push(placed.body.intentId);
      if (i === 11) process.kill(execution.pid!, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await waitFor('execution started again', () => readState().processes.find(({ id }) => id === 'execution')!.pid !== execution.pid, 120_000);
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
      240_000,
    );
    // Late duplicates would come after the fills: give them the time a re-route takes.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    await consumer.stop();
    await reader.bus.close();

    const ours = new Set(intents);
    const places = commands.filter(({ type, intentId }) => type === 'PLACE' && ours.has(intentId));
    const perClientOrderId = new Map<string, number>();
    for (const { clientOrderId } of places) perClientOrderId.set(clientOrderId, (perClientOrderId.get(clientOrderId) ?? 0) + 1);
    expect([...perClientOrderId].filter(([, count]) => count > 1), 'PLACE commands sent more than once').toEqual([]);
    expect(intents.filter((id) => !filledOf.get(id)?.eq(amount)).map((id) => `${id}: ${filledOf.get(id)?.toFixed() ?? 0}`), 'intents filled other than their amount').toEqual([]);
    expect(verdicts.filter(({ intentId, decision }) => ours.has(intentId) && decision === 'REJECTED').map(({ message }) => message), 'risk rejections').toEqual([]);
    // The restarted worker knew the legs of the intents in flight when it died.
    const log = await crossvenue(['logs', 'execution', '--lines', '100000'], env);
    expect(log.stdout.split('\n').filter((line) => /no leg|not a leg of a known intent/.test(line))).toEqual([]);
  }, 420_000);

  it('refuses a second up while the run is up', async () => {
    const again = await crossvenue(['up', '--config', config], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^crossvenue: already running \(supervisor pid \d+, config .+\); crossvenue ps shows it, crossvenue down stops it$/);
  }, 60_000);

  it('down stops every process the run started, and removes its state', async () => {
    remember(readState());
    const down = await crossvenue(['down'], env);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toMatch(/^stopped +supervisor \(pid \d+\)$/m);
    expect(existsSync(stateFile)).toBe(false);
    expect([...pids].filter(isAlive)).toEqual([]);
    // What is left of the run is its logs.
    const logs = await crossvenue(['logs', 'gateway', '--lines', '1'], env);
    expect(logs.code).toBe(0);
    expect(JSON.parse(logs.stdout)).toMatchObject({ component: 'gateway' });
  }, 120_000);
});
