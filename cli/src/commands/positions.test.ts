import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/crossvenue.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'positions-replay-'));

function replay(lines: string[], ...options: string[]) {
  const file = join(dir, `fills-${Math.random().toString(36).slice(2)}.ndjson`);
  writeFileSync(file, lines.join('\n') + '\n');
  const result = spawnSync(process.execPath, [BIN, 'positions', 'replay', file, ...options], { encoding: 'utf8', timeout: 60_000 });
  return { file, code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ venue: 'binance', account: 'main', symbol: 'BTC/USDT', side: 'BUY', price: '60000', qty: '0.5', fee: '0.0005', feeCurrency: 'BNB', tradeId: '1', ts: 1_700_000_000_000, ...fields });

const FILLS = [
  line({}),
  line({ side: 'SELL', price: '62000', qty: '0.2', fee: '12.4', feeCurrency: 'USDT', tradeId: '2', ts: 1_700_000_001_000 }),
  line({ venue: 'okx', account: 'hedge', symbol: 'BTC/USDT:USDT', side: 'SELL', price: '61000', qty: '0.3', fee: '9.15', feeCurrency: 'USDT', tradeId: 'a1' }),
  line({ symbol: 'BNB/USDT', price: '600', qty: '1', fee: '0.001', tradeId: '3', ts: 1_700_000_002_000 }),
  line({ venue: 'kraken', account: 'k1', symbol: 'ETH/EUR', price: '3000', qty: '1', fee: '3', feeCurrency: 'EUR', tradeId: '9' }),
];

// Each run starts the whole command line under tsx (a few seconds on this machine).
describe('crossvenue positions replay', { timeout: 60_000 }, () => {
  it('folds fills into positions, underlyings and a valuation, whatever the order and however often a fill repeats', () => {
    const inOrder = replay(FILLS, '--json', '--quote', 'USDT');
    const shuffled = replay([FILLS[3]!, FILLS[1]!, FILLS[0]!, FILLS[1]!, FILLS[4]!, FILLS[2]!, FILLS[0]!], '--json', '--quote', 'USDT');
    expect(inOrder.code).toBe(0);
    expect(shuffled.code).toBe(0);
    const report = JSON.parse(inOrder.stdout);
    expect(JSON.parse(shuffled.stdout)).toEqual({ ...report, duplicates: 2 });
    expect(report.positions.find((p: { instrument: string }) => p.instrument === 'BTC/USDT')).toEqual({
      portfolio: 'default', account: 'main', venue: 'binance', instrument: 'BTC/USDT', quantity: '0.3', averageEntryPrice: '60000',
      markPrice: '62000', realizedPnl: '400', unrealizedPnl: '600', quoteCurrency: 'USDT', fees: { BNB: '0.0005', USDT: '12.4' }, fills: 2,
    });
    expect(report.underlyings.find((u: { underlying: string }) => u.underlying === 'BTC')).toEqual({
      portfolio: 'default', underlying: 'BTC', netQuantity: '0', grossQuantity: '0.6', realizedPnl: { USDT: '400' }, fees: { BNB: '0.0005', USDT: '21.55' }, positions: 2,
    });
    // BNB fees are valued through BNB/USDT; the EUR fee has no path to USDT and is listed apart.
    expect(report.valuation).toEqual({
      currency: 'USDT', realizedPnl: '400', unrealizedPnl: '600', fees: '22.45', netPnl: '977.55',
      unvalued: { realizedPnl: {}, unrealizedPnl: {}, fees: { EUR: '3' } },
    });
  });

  it('prints a table without --json', () => {
    const { code, stdout } = replay(FILLS);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^default +main +binance +BTC\/USDT +0\.3 +60000 +62000 +400 USDT +600 USDT/m);
    expect(stdout).toContain('5 fills folded, 0 duplicates ignored, 0 lines skipped');
  });

  it('reports each bad line on one stderr line with its number, skips it and exits 3', () => {
    const { file, code, stderr, stdout } = replay([FILLS[0]!, line({ price: 'abc', tradeId: '7' }), 'not json', line({ qty: 1, tradeId: '8' }), line({ side: 'HOLD', tradeId: '9' })]);
    expect(code).toBe(3);
    expect(stderr.split('\n')).toEqual([
      `${file}:2: price "abc" is not a decimal`,
      `${file}:3: not JSON (Unexpected token 'o', "not json" is not valid JSON)`,
      `${file}:4: qty 1 is a number; write amounts as decimal strings ("1")`,
      `${file}:5: side "HOLD" is not BUY or SELL`,
    ]);
    expect(stdout).toContain('1 fills folded, 0 duplicates ignored, 4 lines skipped');
  });

  it.each([
    [['positions', 'replay', '/nonexistent/fills.ndjson'], 'crossvenue: cannot read /nonexistent/fills.ndjson: ENOENT'],
    [['positions', 'replay'], 'crossvenue: positions replay needs exactly one fills file'],
  ])('exits 2 with one line for %j', (args, message) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(message);
  });
});
