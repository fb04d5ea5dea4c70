import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/crossvenue.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'crossvenue-route-'));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function route(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, 'route', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

const books = file('books.json', {
  binance: { bids: [['99', '1'], ['98', '1']], asks: [['100', '1'], ['101', '1']], quantityStep: '0.001' },
  okx: { bids: [['99.5', '0.5'], ['97', '5']], asks: [['100.5', '0.5'], ['102', '5']] },
  kraken: { bids: [], asks: [['103', '9']], minNotional: '5' },
});
const fees = file('fees.json', { binance: { taker: '0.001', maker: '0.0008' }, okx: { taker: '0.0005', maker: '0.0002' } });

describe('crossvenue route', () => {
  it('prints the plan as JSON: legs, total cost, and every candidate with its reason', () => {
    const { code, stdout } = route('--books', books, '--fees', fees, '--symbol', 'BTC/USDT', '--side', 'buy', '--amount', '2', '--json');
    expect(code).toBe(0);
    const plan = JSON.parse(stdout) as {
      legs: { venue: string; quantity: string; limitPrice: string; expectedAveragePrice: string; expectedFee: string }[];
      totalExpectedCost: string;
      candidates: { venue: string; chosen: boolean; reason: string }[];
      defaultFees: { taker: string; venues: string[] };
    };
    expect(plan.legs.map(({ venue, quantity, limitPrice }) => ({ venue, quantity, limitPrice }))).toEqual([
      { venue: 'binance', quantity: '1.5', limitPrice: '101' },
      { venue: 'okx', quantity: '0.5', limitPrice: '100.5' },
    ]);
    // (100 + 0.5 x 101) x 1.001 on binance, 0.5 x 100.5 x 1.0005 on okx.
    expect(plan.totalExpectedCost).toBe('200.925625');
    expect(plan.candidates.find((candidate) => candidate.venue === 'kraken')).toMatchObject({ chosen: false });
    expect(plan.defaultFees).toMatchObject({ taker: '0.001', venues: ['kraken'] });
  });

  it('prints a readable table without --json', () => {
    const { code, stdout } = route('--books', books, '--symbol', 'BTC/USDT', '--side', 'sell', '--amount', '0.7');
    expect(code).toBe(0);
    expect(stdout).toContain('leg  venue    account  quantity  limit  avg price  fee USDT  cost USDT');
    expect(stdout).toContain('kraken/default: empty book side');
    expect(stdout).toContain('default fees (taker 0.001, maker 0.001) for: binance, okx, kraken');
  });

  it.each([
    [['--books', join(dir, 'absent.json')], 1, `crossvenue: ${join(dir, 'absent.json')}: cannot read (ENOENT)`],
    [['--books', file('text.json', 'bids: 1')], 1, `crossvenue: ${join(dir, 'text.json')}: not JSON (Unexpected token 'b', "bids: 1" is not valid JSON)`],
    [['--books', file('price.json', { okx: { asks: [['100', '1'], [101, '1']] } })], 1, `crossvenue: ${join(dir, 'price.json')}: okx.asks[1] price: got the number 101; amounts must be decimal strings, a number may have lost digits`],
    [['--books', books, '--fees', file('fees-bad.json', { okx: { taker: 'cheap', maker: '0' } })], 1, `crossvenue: ${join(dir, 'fees-bad.json')}: okx.taker: "cheap" is not a decimal`],
  ])('refuses a bad file with one line naming the file and field (%#)', (args, exitCode, line) => {
    const { code, stderr } = route(...args, '--symbol', 'BTC/USDT', '--side', 'buy', '--amount', '1');
    expect(stderr).toBe(line);
    expect(code).toBe(exitCode);
  });

  it.each([
    [['--side', 'up', '--amount', '1'], 'crossvenue: route: --side must be buy or sell, got "up"'],
    [['--side', 'buy', '--amount', '0'], 'crossvenue: route: --amount must be a positive decimal, got "0"'],
    [['--side', 'buy', '--amount', '-3'], 'crossvenue: route: --amount must be a positive decimal, got "-3"'],
  ])('refuses bad options with exit code 2 (%#)', (args, line) => {
    const { code, stderr } = route('--books', books, '--symbol', 'BTC/USDT', ...args);
    expect(stderr).toBe(line);
    expect(code).toBe(2);
  });
});
