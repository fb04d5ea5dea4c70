import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal, RegistryCodec, TOPICS, type BookSnapshot, type Intent, type Fill, type IntentStatus, type Position } from '@crossvenue/schemas';
import { createLogger, kafkaMessageBus, partitionForKey, resolveEndpoints, type Delivered, type Endpoints } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { DEMO_PORTFOLIO, DEMO_VENUES, localApiKey, startEmbeddedRun, type EmbeddedRun } from '@crossvenue/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteNamespaceTopics } from '../support/namespaceTopics.ts';
import { pythonWithRequirements, runCommand } from '../support/pythonVenv.ts';

/**
 * The Python example strategy (examples/python-strategy) against the whole pipeline on the real
 * Kafka and schema registry, under a namespace of its own: it places an intent with Confluent's
 * Python client and follows its status to the end, as an external strategy would.
 */

const EXAMPLE = fileURLToPath(new URL('../../examples/python-strategy/', import.meta.url));
const REQUIREMENTS = join(EXAMPLE, 'requirements.txt');
const INSTRUMENT = 'BTC/USDT';
const AMOUNT = '0.01';

describe('the Python example strategy (confluent-kafka) on the pipeline over Kafka and the schema registry', () => {
  const logger = createLogger('python-strategy-test', { level: 'silent' });
  const progress = createLogger('python-strategy-test');
  const namespace = `py-${randomUUID().slice(0, 8)}.`;
  const books = new Map<string, Delivered<BookSnapshot>>();
  const intents: Array<Delivered<Intent>> = [];
  /** The demo portfolio's latest position in the instrument on each venue account, and every intent status. */
  const positions = new Map<string, Position>();
  const statuses: IntentStatus[] = [];
  const fills: Fill[] = [];
  let endpoints: Endpoints;
  let python: string;
  let run: EmbeddedRun | undefined;

  beforeAll(async () => {
    python = await pythonWithRequirements(REQUIREMENTS, 'crossvenue-python-strategy', progress);
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
      topics: [TOPICS.bookSnapshots, TOPICS.intents, TOPICS.positions, TOPICS.intentStatus, TOPICS.fills],
      fromBeginning: true,
      handle: async (batch) => {
        for (const record of batch) {
          if (record.topic === TOPICS.intents.name) intents.push(record as Delivered<Intent>);
          else if (record.topic === TOPICS.intentStatus.name) statuses.push(record.value as IntentStatus);
          else if (record.topic === TOPICS.fills.name) fills.push(record.value as Fill);
          else if (record.topic === TOPICS.positions.name) {
            const position = record.value as Position;
            if (position.portfolio === DEMO_PORTFOLIO && position.instrument === INSTRUMENT) positions.set(`${position.venue}/${position.account}`, position);
          }
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
  const buy = (intentId: string, amount: string) => strategyRun(intentId, ['--side', 'BUY', '--amount', amount, '--amount-type', 'BASE']);

  /** strategy.py for the demo portfolio and the instrument, with `flags`; its statuses are its stdout lines. */
  const strategyRun = async (intentId: string, flags: string[]) => {
    const strategy = await runCommand(python, [
      join(EXAMPLE, 'strategy.py'),
      '--bootstrap-servers', endpoints.kafkaBrokers.join(','),
      '--registry-url', endpoints.schemaRegistryUrl,
      '--namespace', namespace,
      '--portfolio', DEMO_PORTFOLIO,
      '--instrument', INSTRUMENT,
      ...flags,
      '--intent-id', intentId,
      '--timeout', '45',
    ]);
    const printed = strategy.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as IntentStatus);
    return { ...strategy, statuses: printed, context: `strategy.py exited ${strategy.code}; stderr: ${strategy.stderr.trim()}` };
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

  /** The demo portfolio's position in the instrument across venues, as the positions worker last published it. */
  const netPosition = () => [...positions.values()].reduce((sum, position) => sum.plus(position.quantity), new Decimal(0));

  it('sets a target position of +0.5 across venues, sees DONE with the position there, and the target is held after a reconciler correction', async () => {
    const intentId = `python-target-test-${randomUUID()}`;
    const { code, statuses: printed, context } = await strategyRun(intentId, ['--target-quantity', '0.5']);
    expect(code, context).toBe(0);
    expect(printed.at(-1)?.state, context).toBe('DONE');
    await waitFor('the position at the target', () => netPosition().eq('0.5'), 30_000);
    // Its trades were the execution side's own child intents, routed like any order.
    const children = intents.filter((record) => record.value.intentId.startsWith(`${intentId}:t`)).map((record) => record.value);
    expect(children.length, context).toBeGreaterThan(0);
    expect(children.every((child) => child.source === 'EXECUTION' && child.kind === 'ORDER'), context).toBe(true);

    // A trade the pipeline never saw: sold on the venue directly, its fills lost on the stream, so
    // only the reconciler finds it in the venue's trade history and corrects the position.
    const venue = run!.venues.venues.find((simulated) => simulated.options.name === 'sim-binance-a')!;
    venue.faults.set({ loseFills: 20 });
    venue.engine.place({ account: 'demo', symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: new Decimal('0.1') });
    const statusesOf = () => statuses.filter((status) => status.intentId === intentId);
    const numberOf = (status: IntentStatus) => Number(status.eventId.split(':status:')[1]);
    await waitFor('the reconciler correction, and the target trading again', () => statusesOf().some((status) => status.state !== 'DONE' && numberOf(status) > numberOf(printed.at(-1)!)), 90_000);
    venue.faults.set({ loseFills: 0 });
    await waitFor('the target DONE again', () => statusesOf().at(-1)?.state === 'DONE' && numberOf(statusesOf().at(-1)!) > numberOf(printed.at(-1)!), 30_000);
    const corrections = fills.filter((fill) => fill.source === 'RECONCILIATION' && fill.venue === venue.options.name && fill.instrument === INSTRUMENT);
    expect(corrections.reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0)).eq('0.1'), JSON.stringify(corrections)).toBe(true);
    // Every fill of the portfolio, the correction included, adds up to the target, and so does the positions worker's fold.
    const signed = (fill: Fill) => (fill.side === 'BUY' ? new Decimal(fill.quantity) : new Decimal(fill.quantity).negated());
    const ours = () => fills.filter((fill) => fill.portfolio === DEMO_PORTFOLIO && fill.instrument === INSTRUMENT);
    await waitFor('the fills and the positions at the target', () => ours().reduce((sum, fill) => sum.plus(signed(fill)), new Decimal(0)).eq('0.5') && netPosition().eq('0.5'), 30_000);
    // What its children executed grew by the 0.1 bought back.
    const last = statusesOf().at(-1)!;
    expect(new Decimal(last.filledQuantity).minus(printed.at(-1)!.filledQuantity).eq('0.1'), `filled ${printed.at(-1)!.filledQuantity}, then ${last.filledQuantity}`).toBe(true);
  }, 180_000);

  it('exits 1 and says why when risk rejects the intent', async () => {
    // 100 BTC is far above the demo portfolio's order notional limit (demoRiskLimits.ts).
    const { code, statuses, stderr, context } = await buy(`python-strategy-test-${randomUUID()}`, '100');
    expect(code, context).toBe(1);
    const last = statuses.at(-1);
    expect(last?.state, context).toBe('REJECTED');
    expect(stderr.trim().split('\n').at(-1)).toContain(`REJECTED by ${last!.rule}`);
  }, 120_000);
});
