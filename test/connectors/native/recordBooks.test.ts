import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@crossvenue/runtime';
import { Decimal } from '@crossvenue/schemas';
import { waitFor } from '@crossvenue/runtime/testing';
import { describe, expect, it } from 'vitest';
import type { BookEvent } from '@crossvenue/connectors';
import { replayBooks, recordBooks } from '@crossvenue/connectors';
import { startTestVenue } from '@crossvenue/simulator/testing';

const logger = createLogger('record-test', { level: 'silent' });

describe.each(['binance', 'bybit'] as const)('md record from a simulated %s venue', (dialect) => {
  it('writes a recording that replays to the same books, ending at the venue\'s book', async () => {
    const { venue, endpoints } = await startTestVenue({ dialect });
    const out = join(mkdtempSync(join(tmpdir(), 'record-')), 'books.jsonl');
    const live: BookEvent[] = [];
    let stop!: () => void;
    const until = new Promise<void>((resolve) => (stop = resolve));
    const recording = recordBooks({ kind: dialect, wsUrl: endpoints.wsUrl, restUrl: endpoints.restUrl, symbols: ['BTCUSDT', 'ETHUSDT'], depth: 5 }, out, until, { logger, onEvent: (event) => live.push(event) });
    try {
      await waitFor('both books', () => new Set(live.map((e) => e.symbol)).size === 2, 5000);
      for (const quantity of ['0.011', '0.012', '0.013']) {
        const best = venue.engine.depth('BTCUSDT', 1).bids[0]!.price;
        venue.engine.place({ account: 'trader', symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: new Decimal(quantity), price: best });
        const before = live.length;
        await waitFor('the change', () => live.length > before, 5000);
      }
    } finally {
      stop();
      await venue.stop();
    }
    const summary = await recording;
    expect(summary).toMatchObject({ resyncs: 0, bookEvents: live.length });
    expect(readFileSync(out, 'utf8').split('\n')[0]).toContain(`"format":"crossvenue-md/1","venue":"${dialect}","dialect":"${dialect}"`);

    const replayed: BookEvent[] = [];
    await replayBooks([out], 5, (event) => replayed.push(event));
    expect(replayed).toEqual(live);
    const lastBtc = replayed.findLast((e) => e.symbol === 'BTCUSDT') as BookEvent & { type: 'book' };
    expect(new Decimal(lastBtc.bids[0]![1]).toFixed()).toBe(venue.engine.depth('BTCUSDT', 1).bids[0]!.total.toFixed());
  });
});
