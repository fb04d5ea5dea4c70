import { randomUUID } from 'node:crypto';
import { Decimal, TOPICS, type Fill, type Intent, type IntentStatus, type Position } from '@crossvenue/schemas';
import { createLogger } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PORTFOLIO, startEmbeddedRun, type EmbeddedRun } from './EmbeddedRun.ts';
import { gatewayClient } from './gatewayClient.ts';
import { localApiKey } from './localApiKey.ts';

const WAIT_MS = 60_000;
const INSTRUMENT = 'BTC/USDT';

/**
 * A TARGET_POSITION through the whole embedded pipeline (issue #18): set through the gateway, traded
 * by the execution side's own child orders across the simulated venues, DONE at the target; then
 * a trade the pipeline never saw (made on a venue directly, its fills lost on the stream) is found
 * by the reconciler, and the target trades the position back by itself.
 */
describe('a target position on the embedded run is reached and held', () => {
  const { keys, key } = localApiKey('trader');
  const statuses: IntentStatus[] = [];
  const intents: Intent[] = [];
  const fills: Fill[] = [];
  const positions = new Map<string, Position>();
  let run: EmbeddedRun;
  let api: ReturnType<typeof gatewayClient>;

  const netPosition = () => [...positions.values()].reduce((sum, position) => sum.plus(position.quantity), new Decimal(0));
  const signed = (fill: Fill) => (fill.side === 'BUY' ? new Decimal(fill.quantity) : new Decimal(fill.quantity).negated());
  const filledNet = () => fills.filter((fill) => fill.portfolio === DEMO_PORTFOLIO && fill.instrument === INSTRUMENT).reduce((sum, fill) => sum.plus(signed(fill)), new Decimal(0));

  beforeAll(async () => {
    run = await startEmbeddedRun({ gatewayPort: 0, keys, logger: createLogger('target-position-e2e', { level: 'silent' }), demo: { seed: 23, flow: false, movingPrices: false, strategy: false } });
    api = gatewayClient(() => run.gatewayUrl, key);
    await run.messages.subscribe({
      groupId: `target-observer-${randomUUID()}`,
      topics: [TOPICS.intentStatus, TOPICS.intents, TOPICS.fills, TOPICS.positions],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) {
          if (topic === TOPICS.intentStatus.name) statuses.push(value as IntentStatus);
          else if (topic === TOPICS.intents.name) intents.push(value as Intent);
          else if (topic === TOPICS.fills.name) fills.push(value as Fill);
          else {
            const position = value as Position;
            if (position.portfolio === DEMO_PORTFOLIO && position.instrument === INSTRUMENT) positions.set(`${position.venue}/${position.account}`, position);
          }
        }
      },
    });
    await waitFor('the router to see every demo venue', async () => (await api<{ legs: unknown[] }>('/execution/route_preview', { instrument: INSTRUMENT, side: 'buy', amount: '0.01' })).status === 200, WAIT_MS);
  }, 90_000);

  afterAll(async () => {
    await run?.stop();
  });

  it('reaches +0.5 through child orders, reports DONE, and trades back after a reconciler correction', async () => {
    const placed = await api<{ intentId: string }>('/intents', { kind: 'TARGET_POSITION', portfolio: DEMO_PORTFOLIO, instrument: INSTRUMENT, targetQuantity: '0.5' });
    expect(placed.status).toBe(202);
    const { intentId } = placed.body;
    const ofTarget = () => statuses.filter((status) => status.intentId === intentId);
    await waitFor('the target DONE', () => ofTarget().at(-1)?.state === 'DONE', WAIT_MS);
    const done = ofTarget().at(-1)!;
    expect(done).toMatchObject({ side: 'BUY', filledQuantity: '0.5', leavesQuantity: '0', requestedQuantity: '0.5' });
    await waitFor('the fills and the positions at the target', () => filledNet().eq('0.5') && netPosition().eq('0.5'), WAIT_MS);
    const children = intents.filter((intent) => intent.intentId.startsWith(`${intentId}:t`) && intent.action === 'PLACE');
    expect(children.map(({ kind, source, order }) => `${kind} ${source} ${order?.timeInForce} ${order?.limitPrice}`)).toEqual(children.map(() => 'ORDER EXECUTION IOC null'));

    // Sold on the venue directly, its fills lost on the user stream: only reconciliation finds the trade.
    const venue = run.venues.venues.find((simulated) => simulated.options.name === 'sim-binance-a')!;
    venue.faults.set({ loseFills: 20 });
    venue.engine.place({ account: 'demo', symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: new Decimal('0.1') });
    const number = (status: IntentStatus) => Number(status.eventId.split(':status:')[1]);
    try {
      // Off the target again: PARTIALLY_FILLED (its children filled before), leaving the 0.1 to buy back.
      await waitFor('the correction, and the target trading again', () => ofTarget().some((status) => status.state === 'PARTIALLY_FILLED' && number(status) > number(done)), WAIT_MS);
    } finally {
      venue.faults.set({ loseFills: 0 });
    }
    expect(ofTarget().find((status) => number(status) > number(done))).toMatchObject({ state: 'PARTIALLY_FILLED', filledQuantity: '0.5', leavesQuantity: '0.1' });
    await waitFor('the target DONE again', () => ofTarget().at(-1)?.state === 'DONE' && number(ofTarget().at(-1)!) > number(done), WAIT_MS);
    const corrections = fills.filter((fill) => fill.source === 'RECONCILIATION' && fill.instrument === INSTRUMENT);
    expect(corrections.reduce((sum, fill) => sum.plus(signed(fill)), new Decimal(0)).toFixed()).toBe('-0.1');
    await waitFor('the fills and the positions at the target again', () => filledNet().eq('0.5') && netPosition().eq('0.5'), WAIT_MS);
    expect(ofTarget().at(-1)).toMatchObject({ filledQuantity: '0.6', leavesQuantity: '0' });
  }, 180_000);
});
