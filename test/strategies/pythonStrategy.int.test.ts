import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal, RegistryCodec, TOPICS, type BookSnapshot, type Intent, type IntentStatus } from '@crossvenue/schemas';
import { createLogger, kafkaMessageBus, partitionForKey, resolveEndpoints, type Delivered, type Endpoints } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { DEMO_PORTFOLIO, DEMO_VENUES, localApiKey, startEmbeddedRun, type EmbeddedRun } from '@crossvenue/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespaceTopics } from '../support/namespaceTopics.ts';

/**
 * The Python example strategy (examples/python-strategy) against the whole pipeline on the real
 * Kafka and schema registry, under a namespace of its own: it places an intent with Confluent's
 * Python client and follows its status to the end, as an external strategy would.
 */

const EXAMPLE = fileURLToPath(new URL('../../examples/python-strategy/', import.meta.url));
const REQUIREMENTS = join(EXAMPLE, 'requirements.txt');
const INSTRUMENT = 'BTC/USDT';
const AMOUNT = '0.01';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, keeping its output (a failure is reported by the caller, with it). */
function runCommand(command: string, args: string[]): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';

/**
 * A virtual environment with requirements.txt installed, kept between runs under the temp folder
 * and named by the file's hash: a changed requirements.txt gets a fresh one. The marker is written
 * only after pip succeeded, so an interrupted install is redone.
 */
async function pythonWithRequirements(logger: ReturnType<typeof createLogger>): Promise<string> {
  const requirements = readFileSync(REQUIREMENTS);
  const hash = createHash('sha256').update(requirements).digest('hex').slice(0, 12);
  const venv = join(tmpdir(), `crossvenue-python-strategy-${hash}`);
  const python = join(venv, 'bin', 'python');
  const marker = join(venv, 'requirements.sha256');
  if (existsSync(marker) && existsSync(python)) {
    logger.info({ venv }, 'reusing the Python venv: requirements.txt unchanged');
    return python;
  }
  const started = Date.now();
  rmSync(venv, { recursive: true, force: true });
  logger.info({ venv }, 'creating the Python venv');
  const created = await runCommand('python3', ['-m', 'venv', venv]);
  if (created.code !== 0) throw new Error(`python3 -m venv ${venv} failed (exit ${created.code}): ${lastLine(created.stderr || created.stdout)}`);
  logger.info({ requirements: REQUIREMENTS }, 'installing requirements.txt with pip (binary wheels only)');
  const pip = await runCommand(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '--progress-bar', 'off', '--only-binary=:all:', '-r', REQUIREMENTS]);
  if (pip.code !== 0) throw new Error(`pip install -r ${REQUIREMENTS} failed (exit ${pip.code}): ${lastLine(pip.stderr || pip.stdout)}`);
  writeFileSync(marker, `${hash}\n`);
  logger.info({ venv, seconds: (Date.now() - started) / 1000 }, 'Python venv ready');
  return python;
}

describe('the Python example strategy (confluent-kafka) on the pipeline over Kafka and the schema registry', () => {
  const logger = createLogger('python-strategy-test', { level: 'silent' });
  const progress = createLogger('python-strategy-test');
  const namespace = `py-${randomUUID().slice(0, 8)}.`;
  const books = new Map<string, Delivered<BookSnapshot>>();
  const intents: Array<Delivered<Intent>> = [];
  let endpoints: Endpoints;
  let python: string;
  let run: EmbeddedRun | undefined;

  beforeAll(async () => {
    python = await pythonWithRequirements(progress);
    endpoints = resolveEndpoints();
    const messages = kafkaMessageBus('python-strategy-test', logger, { endpoints, namespace });
    // Still books, no demo strategy or arbitrage: only the Python strategy's intent trades.
    run = await startEmbeddedRun({
      gatewayPort: 0,
      keys: localApiKey('trader').keys,
      logger,
      demo: { seed: 11, flow: false, movingPrices: false },
      bus: { messages, codec: new RegistryCodec(endpoints.schemaRegistryUrl) },
    });
    // What the pipeline itself reads: the intent as it landed, and the books it is routed against.
    await run.messages.subscribe({
      groupId: 'python-strategy-observer',
      topics: [TOPICS.bookSnapshots, TOPICS.intents],
      fromBeginning: true,
      handle: async (batch) => {
        for (const record of batch) {
          if (record.topic === TOPICS.intents.name) intents.push(record as Delivered<Intent>);
          else if ((record.value as BookSnapshot).instrument === INSTRUMENT) books.set((record.value as BookSnapshot).venue, record as Delivered<BookSnapshot>);
        }
      },
    });
    await waitFor(`${INSTRUMENT} books of every venue`, () => books.size === DEMO_VENUES.length, 60_000);
  }, 300_000);

  afterAll(async () => {
    await run?.stop();
    if (endpoints) await deleteNamespaceTopics(endpoints, namespace, logger);
  });

  /** Buys `amount` of the instrument for the demo portfolio with strategy.py; its statuses are its stdout lines. */
  const buy = async (intentId: string, amount: string) => {
    const strategy = await runCommand(python, [
      join(EXAMPLE, 'strategy.py'),
      '--bootstrap-servers', endpoints.kafkaBrokers.join(','),
      '--registry-url', endpoints.schemaRegistryUrl,
      '--namespace', namespace,
      '--portfolio', DEMO_PORTFOLIO,
      '--instrument', INSTRUMENT,
      '--side', 'BUY',
      '--amount', amount,
      '--amount-type', 'BASE',
      '--intent-id', intentId,
      '--timeout', '45',
    ]);
    const statuses = strategy.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as IntentStatus);
    return { ...strategy, statuses, context: `strategy.py exited ${strategy.code}; stderr: ${strategy.stderr.trim()}` };
  };

  it('buys with a market IOC intent, follows it to DONE, and keys it to the partition of its books', async () => {
    const intentId = `python-strategy-test-${randomUUID()}`;
    const { code, statuses, context } = await buy(intentId, AMOUNT);
    expect(code, context).toBe(0);
    expect(statuses.every((status) => status.intentId === intentId), context).toBe(true);
    const last = statuses.at(-1)!;
    expect(last.state, context).toBe('DONE');
    expect(new Decimal(last.filledQuantity).eq(AMOUNT), `filled ${last.filledQuantity} of ${AMOUNT}`).toBe(true);

    // The record as the pipeline consumed it: keyed by the instrument, on the partition its own
    // partitioner (murmur2) gives that key, which is the partition of the instrument's books.
    await waitFor('the intent read back from Kafka', () => intents.some((record) => record.value.intentId === intentId), 30_000);
    const landed = intents.find((record) => record.value.intentId === intentId)!;
    expect(landed.key).toBe(INSTRUMENT);
    expect(landed.partition).toBe(partitionForKey(TOPICS.intents.name, INSTRUMENT, TOPICS.intents.partitions));
    for (const book of books.values()) expect(book.partition).toBe(landed.partition);
  }, 120_000);

  it('exits 1 and says why when risk rejects the intent', async () => {
    // 100 BTC is far above the demo portfolio's order notional limit (demoRiskLimits.ts).
    const { code, statuses, stderr, context } = await buy(`python-strategy-test-${randomUUID()}`, '100');
    expect(code, context).toBe(1);
    const last = statuses.at(-1);
    expect(last?.state, context).toBe('REJECTED');
    expect(stderr.trim().split('\n').at(-1)).toContain(`REJECTED by ${last!.rule}`);
  }, 120_000);
});
