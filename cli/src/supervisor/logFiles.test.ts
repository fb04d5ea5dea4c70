import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followLogs, interleave, lastLines, logSources } from './logFiles.ts';

const pino = (time: number, msg: string) => JSON.stringify({ level: 30, time, component: 'router', msg });

describe('the run log files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'crossvenue-logs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (id: string, lines: string[]) => writeFileSync(join(dir, `${id}.log`), lines.map((line) => `${line}\n`).join(''));

  it('selects one id, every id of a worker, or all', () => {
    for (const id of ['router', 'execution-1', 'execution-2', 'ccxt-connector.sim-binance-a.main', 'supervisor']) write(id, []);
    writeFileSync(join(dir, 'notes.txt'), '');
    const ids = (selector?: string) => logSources(dir, selector).map(({ id }) => id).sort();
    expect(ids('router')).toEqual(['router']);
    expect(ids('execution')).toEqual(['execution-1', 'execution-2']);
    expect(ids('ccxt-connector')).toEqual(['ccxt-connector.sim-binance-a.main']);
    expect(ids('exec')).toEqual([]);
    expect(ids()).toHaveLength(5);
  });

  it('reads the last lines of a file larger than one read', () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => pino(i, `line ${i} ${'x'.repeat(40)}`));
    write('big', lines);
    expect(lastLines(join(dir, 'big.log'), 3)).toEqual(lines.slice(-3));
    expect(lastLines(join(dir, 'big.log'), 4_000)).toEqual(lines.slice(-4_000));
    write('small', ['a', 'b']);
    expect(lastLines(join(dir, 'small.log'), 10)).toEqual(['a', 'b']);
  });

  it('interleaves files by time, keeping a stack trace under the line it follows', () => {
    const router = [pino(10, 'r1'), pino(30, 'r2'), 'Error: boom', '    at main (x.ts:1)'];
    const gateway = [pino(20, 'g1'), pino(40, 'g2')];
    expect(interleave([router, gateway])).toEqual([router[0], gateway[0], router[1], router[2], router[3], gateway[1]]);
  });

  describe('following', () => {
    const stop = new AbortController();
    afterEach(() => stop.abort());

    it('prints only what is appended, whole lines, including a file that appears later', async () => {
      write('router', [pino(1, 'old')]);
      const printed: string[] = [];
      const following = followLogs(() => logSources(dir), (line) => printed.push(line), stop.signal);
      appendFileSync(join(dir, 'router.log'), `${pino(2, 'new')}\n{"level":30,"ti`);
      write('gateway', [pino(3, 'first of a new process')]);
      await expect.poll(() => printed).toEqual([pino(2, 'new'), pino(3, 'first of a new process')]);
      appendFileSync(join(dir, 'router.log'), 'me":4}\n');
      await expect.poll(() => printed.at(-1)).toBe('{"level":30,"time":4}');
      stop.abort();
      await following;
    });
  });
});
