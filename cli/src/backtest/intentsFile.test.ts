import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StrategyContext } from '@crossvenue/processors';
import { readIntentsFile, ScriptedIntents } from './intentsFile.ts';

let dir: string;
const file = async (name: string, lines: string[]) => {
  const path = join(dir, name);
  await writeFile(path, lines.join('\n'));
  return path;
};

describe('intents files', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'intents-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads one intent a line, skipping blank and # lines, with IOC market orders unless told', async () => {
    const path = await file('ok.jsonl', [
      '# a comment',
      '{"at": 0, "instrument": "BTC/USDT", "side": "SELL", "amount": "0.50"}',
      '',
      '{"at": 250, "instrument": "ETH/USDT", "side": "BUY", "amount": "2", "limitPrice": "3000.0", "timeInForce": "GTC", "venues": ["okx"]}',
    ]);
    expect(await readIntentsFile(path)).toEqual([
      { line: 2, at: 0, order: { instrument: 'BTC/USDT', side: 'SELL', amount: '0.5' } },
      { line: 4, at: 250, order: { instrument: 'ETH/USDT', side: 'BUY', amount: '2', limitPrice: '3000', timeInForce: 'GTC', venues: ['okx'] } },
    ]);
  });

  it.each([
    ['not JSON', '{"at": 1,', 'not JSON'],
    ['an unknown key', '{"at": 1, "instrument": "BTC/USDT", "side": "BUY", "amount": "1", "price": "1"}', 'unknown price (known: at, instrument'],
    ['a negative time', '{"at": -5, "instrument": "BTC/USDT", "side": "BUY", "amount": "1"}', 'at must be a whole number of ms ≥ 0'],
    ['a number for the amount', '{"at": 1, "instrument": "BTC/USDT", "side": "BUY", "amount": 1}', 'amount must be a positive decimal string'],
    ['a resting market order', '{"at": 1, "instrument": "BTC/USDT", "side": "BUY", "amount": "1", "timeInForce": "GTC"}', 'a GTC intent needs a limitPrice'],
    ['an empty venue list', '{"at": 1, "instrument": "BTC/USDT", "side": "BUY", "amount": "1", "venues": []}', 'venues must be a non-empty list'],
  ])('refuses %s with one line naming the line', async (_, line, message) => {
    const path = await file('bad.jsonl', ['{"at": 0, "instrument": "BTC/USDT", "side": "BUY", "amount": "1"}', line]);
    await expect(readIntentsFile(path)).rejects.toThrow(`${path}:2: ${message}`);
  });

  it('places each intent once its time has come on the run clock, after its instrument’s first book', async () => {
    const intents = await readIntentsFile(
      await file('timed.jsonl', [
        '{"at": 100, "instrument": "ETH/USDT", "side": "BUY", "amount": "1"}',
        '{"at": 0, "instrument": "BTC/USDT", "side": "BUY", "amount": "1"}',
        '{"at": 50, "instrument": "BTC/USDT", "side": "SELL", "amount": "1"}',
      ]),
    );
    const scripted = new ScriptedIntents(intents, (instrument) => (instrument === 'BTC/USDT' ? 1_000 : 5_000));
    expect(scripted.times()).toEqual([1_000, 1_050, 5_100]);
    const placed: string[] = [];
    let now = 0;
    const context = { now: () => now, place: async (order: { side: string; instrument: string }) => placed.push(`${order.side} ${order.instrument}`) } as unknown as StrategyContext;
    for (now of [999, 1_049, 1_050, 5_099, 6_000]) await scripted.onTimer(context);
    expect(placed).toEqual(['BUY BTC/USDT', 'SELL BTC/USDT', 'BUY ETH/USDT']);
  });
});
