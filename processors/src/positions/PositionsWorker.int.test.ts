import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { seededRandom, createLogger, kafkaMessageBus, partitionForKey, type Consumer } from '@crossvenue/runtime';
import { TOPICS, type BalanceSnapshot, type Position } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PositionLedger } from './PositionLedger.ts';
import { fillMessage, randomFills, shuffledWithDuplicates } from './fillFixtures.ts';
import { toPositionMessage } from './toPositionMessage.ts';

const BIN = fileURLToPath(new URL('../../../cli/bin/crossvenue.js', import.meta.url));
const logger = createLogger('positions-worker-test', { level: 'warn' });

function startWorker(metricsPort = 20_000 + Math.floor(Math.random() * 30_000)): ChildProcess {
  return spawn(process.execPath, [BIN, 'worker', 'positions'], {
    env: { ...process.env, METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** How many fills a worker has read, from its /metrics (0 until it answers). */
async function fillsRead(metricsPort: number): Promise<number> {
  const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((response) => response.text()).catch(() => '');
  const line = text.split('\n').find((row) => row.startsWith(`crossvenue_records_in_total{topic="${TOPICS.fills.name}"`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/**
 * Stops a worker with SIGTERM, and with SIGKILL if it has not exited 30 s later: the test's end
 * must not wait on a graceful stop (a CI run once saw one outlast the 120 s hook while its group
 * was still rebalancing after the kill -9 test).
 */
async function stopWorker(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited(child);
  clearTimeout(timer);
}

describe('positions worker on Kafka: every fill exactly once across a kill -9', () => {
  const portfolio = `pos-test-${randomUUID().slice(0, 8)}`;
  const messages = kafkaMessageBus('positions-worker-test', logger);
  const latest = new Map<string, Position>();
  const balances: BalanceSnapshot[] = [];
  let observer: Consumer;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    await messages.prepare([TOPICS.fills, TOPICS.fundingPayments, TOPICS.balanceSnapshots, TOPICS.venueSnapshots, TOPICS.positions, TOPICS.balances]);
    observer = await messages.subscribe({
      groupId: `positions-observer-${randomUUID()}`,
      topics: [TOPICS.positions, TOPICS.balances],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, key, value } of batch) {
          if (!value.portfolio.startsWith(portfolio)) continue;
          if (topic === TOPICS.balances.name) balances.push(value as BalanceSnapshot);
          else latest.set(key!, value as Position);
        }
      },
    });
  });

  afterAll(async () => {
    if (worker) await stopWorker(worker);
    await observer.stop();
    await messages.bus.close();
  });

  it('publishes positions equal to the fold of the distinct fills', async () => {
    const random = seededRandom(42);
    const fills = randomFills(random, 400, portfolio);
    const delivered = shuffledWithDuplicates(random, fills, 0.2).map(fillMessage);
    const expected = new PositionLedger();
    for (const fill of fills) expected.add(fill);
    const third = Math.floor(delivered.length / 3);

    await messages.publish(TOPICS.fills, delivered.slice(0, third));
    worker = startWorker();
    await waitFor('positions from the first worker', () => latest.size > 0, 45_000);

    // Publish the second third in small batches and kill the worker in the middle of it.
    for (let start = third; start < 2 * third; start += 20) {
      await messages.publish(TOPICS.fills, delivered.slice(start, Math.min(start + 20, 2 * third)));
      if (start === third + 40) worker.kill('SIGKILL');
    }
    await exited(worker);
    expect(worker.signalCode).toBe('SIGKILL');
    await messages.publish(TOPICS.fills, delivered.slice(2 * third));

    worker = startWorker();
    const want = new Map(expected.positions().map((position) => [`${position.portfolio}|${position.account}|${position.venue}|${position.instrument}`, toPositionMessage(position)]));
    await waitFor(
      'positions equal to the fold of every distinct fill',
      () => latest.size === want.size && [...want].every(([key, position]) => JSON.stringify(latest.get(key)) === JSON.stringify(position)),
      // The killed instance holds its partitions until its session expires (15 s).
      60_000,
    );
    expect(Object.fromEntries(latest)).toEqual(Object.fromEntries(want));
    expect([...latest.values()].reduce((sum, position) => sum + Number(position.eventId.split(':').at(-1)), 0)).toBe(fills.length);
  }, 120_000);

  it('two instances share the partitions; when one is killed the other takes its partitions and their positions', async () => {
    // Only the two instances of this test in the group.
    worker?.kill('SIGTERM');
    if (worker) await exited(worker);
    worker = undefined;
    // One portfolio on each partition (portfolios are the key), so whichever partitions the killed
    // instance held, some were ours.
    const byPartition = new Map<number, string>();
    for (let i = 0; byPartition.size < TOPICS.fills.partitions; i++) {
      const name = `${portfolio}-shared-${i}`;
      const partition = partitionForKey(TOPICS.fills.name, name, TOPICS.fills.partitions);
      if (!byPartition.has(partition)) byPartition.set(partition, name);
    }
    const portfolios = [...byPartition.values()];
    const random = seededRandom(7);
    const fills = portfolios.flatMap((name) => randomFills(random, 60, name));
    const delivered = shuffledWithDuplicates(random, fills, 0.2).map(fillMessage);
    const expected = new PositionLedger();
    for (const fill of fills) expected.add(fill);
    const half = Math.floor(delivered.length / 2);
    const ports = [31_001, 31_002].map((base) => base + Math.floor(Math.random() * 1_000) * 2);
    const [first, second] = ports.map((port) => startWorker(port));
    try {
      await messages.publish(TOPICS.fills, delivered.slice(0, half));
      await waitFor('positions of every portfolio', () => portfolios.every((name) => [...latest.values()].some((position) => position.portfolio === name)), 60_000);
      await waitFor('both instances reading fills (each holds partitions)', async () => (await Promise.all(ports.map(fillsRead))).every((read) => read > 0), 60_000);

      first!.kill('SIGKILL');
      await exited(first!);
      await messages.publish(TOPICS.fills, delivered.slice(half));
      const want = new Map(expected.positions().map((position) => [`${position.portfolio}|${position.account}|${position.venue}|${position.instrument}`, toPositionMessage(position)]));
      const ours = () => new Map([...latest].filter(([, position]) => portfolios.includes(position.portfolio)));
      // The survivor gets the dead instance's partitions once its session expires, and reads them from the start.
      await waitFor('positions equal to the fold of every distinct fill', () => {
        const now = ours();
        return now.size === want.size && [...want].every(([key, position]) => JSON.stringify(now.get(key)) === JSON.stringify(position));
      }, 90_000);
      expect(Object.fromEntries(ours())).toEqual(Object.fromEntries(want));
    } finally {
      for (const child of [first!, second!]) await stopWorker(child);
    }
  }, 240_000);

  it('merges balance updates into the latest complete snapshot on state.balances', async () => {
    const base = { venue: 'binance', account: 'main', portfolio, receivedAtMs: 0 };
    const balance = (asset: string, total: string) => ({ asset, free: total, locked: '0', total });
    const snapshots: BalanceSnapshot[] = [
      { ...base, eventId: `${portfolio}-b1`, complete: true, balances: [balance('BTC', '1'), balance('USDT', '100')], venueTimeMs: 1 },
      { ...base, eventId: `${portfolio}-b2`, complete: false, balances: [balance('USDT', '40')], venueTimeMs: 2 },
    ];
    worker = startWorker();
    await messages.publish(TOPICS.balanceSnapshots, snapshots);
    await waitFor('the merged balances', () => balances.some((snapshot) => snapshot.eventId === `${portfolio}-b2`), 60_000);
    expect(balances.at(-1)).toMatchObject({ complete: true, balances: [balance('BTC', '1'), balance('USDT', '40')] });
  });
});
