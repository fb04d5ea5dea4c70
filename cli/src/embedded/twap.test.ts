import { randomUUID } from 'node:crypto';
import { Decimal, TOPICS, type Fill, type Intent, type IntentStatus } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PORTFOLIO, startEmbeddedRun, type EmbeddedRun } from './EmbeddedRun.ts';
import { gatewayClient } from './gatewayClient.ts';
import { localApiKey } from './localApiKey.ts';

const INSTRUMENT = 'BTC/USDT';
const DURATION_MS = 60_000;
const SLICE_MS = 6_000;

/**
 * A TWAP through the whole embedded pipeline (issue #18): 2 BTC over 60 s, placed through the
 * gateway; each slice a child intent routed across the simulated venues. It completes, its slices
 * fill on more than one venue, and its status shows the schedule and the progress as it goes.
 */
describe('a TWAP on the embedded run', () => {
  const { keys, key } = localApiKey('trader');
  const statuses: IntentStatus[] = [];
  const intents: Intent[] = [];
  const fills: Fill[] = [];
  let run: EmbeddedRun;
  let api: ReturnType<typeof gatewayClient>;

  beforeAll(async () => {
    run = await startEmbeddedRun({ gatewayPort: 0, keys, logger: createLogger('twap-e2e', { level: 'silent' }), demo: { seed: 29, flow: false, movingPrices: false, strategy: false } });
    api = gatewayClient(() => run.gatewayUrl, key);
    await run.messages.subscribe({
      groupId: `twap-observer-${randomUUID()}`,
      topics: [TOPICS.intentStatus, TOPICS.intents, TOPICS.fills],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.intentStatus.name) statuses.push(value as IntentStatus);
          else if (topic === TOPICS.intents.name) intents.push(value as Intent);
          else fills.push(value as Fill);
        }
      },
    });
    await waitFor('the router to see the demo venues', async () => (await api<{ legs: unknown[] }>('/execution/route_preview', { instrument: INSTRUMENT, side: 'buy', amount: '0.01' })).status === 200, 60_000);
  }, 90_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('buys 2 BTC over 60 s in slices routed across venues, and shows its progress until DONE', async () => {
    const placed = await api<{ intentId: string }>('/execution/unified_order', { portfolio: DEMO_PORTFOLIO, instrument: INSTRUMENT, side: 'buy', amount: '2', algo: { type: 'TWAP', durationMs: DURATION_MS, sliceIntervalMs: SLICE_MS } });
    expect(placed.status).toBe(202);
    const { intentId } = placed.body;
    const ofTwap = () => statuses.filter((status) => status.intentId === intentId);
    await waitFor('the TWAP DONE', () => ofTwap().at(-1)?.state === 'DONE', DURATION_MS + 60_000);
    const slices = intents.filter((intent) => intent.intentId.startsWith(`${intentId}:s`) && intent.action === 'PLACE');
    const sliceFills = fills.filter((fill) => fill.intentId?.startsWith(`${intentId}:s`));
    expect(slices.length).toBeGreaterThanOrEqual(DURATION_MS / SLICE_MS);
    expect(new Set(sliceFills.map((fill) => fill.venue)).size).toBeGreaterThanOrEqual(2);
    expect(sliceFills.reduce((sum, fill) => sum.plus(fill.quantity), new Decimal(0)).toFixed()).toBe('2');
    // The progress as it went: the schedule grew a slice at a time, the filled quantity with it.
    const progress = ofTwap().map((status) => status.algo!);
    expect(progress.every((algo) => algo.type === 'TWAP' && algo.slices === DURATION_MS / SLICE_MS && algo.endsAtMs - algo.startedAtMs === DURATION_MS)).toBe(true);
    const scheduled = [...new Set(progress.map((algo) => algo.scheduledQuantity))];
    expect(scheduled.length).toBeGreaterThanOrEqual(5);
    expect(ofTwap().filter((status) => status.state === 'PARTIALLY_FILLED').length).toBeGreaterThanOrEqual(5);
    expect(ofTwap().at(-1)).toMatchObject({ filledQuantity: '2', leavesQuantity: '0', algo: { scheduledQuantity: '2', deviation: '0' } });
  }, 180_000);
});
