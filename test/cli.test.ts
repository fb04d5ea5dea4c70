import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../cli/bin/crossvenue.js', import.meta.url));

function crossvenue(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

describe('the crossvenue command line', () => {
  it('prints the topic catalogue as JSON', () => {
    const { code, stdout } = crossvenue(['topics', '--json']);
    expect(code).toBe(0);
    const catalogue = JSON.parse(stdout) as Array<{ name: string; deadLetter: string; subject: string }>;
    expect(catalogue).toContainEqual(
      expect.objectContaining({ name: 'md.book-snapshots', deadLetter: 'dlq.md.book-snapshots', subject: 'md.book-snapshots-value' }),
    );
  });

  it.each([
    [['bogus'], 2, `crossvenue: unknown command "bogus"; run 'crossvenue help'`],
    [['stack', 'sideways'], 2, 'crossvenue: stack needs up, down or status, got "sideways"'],
    [['worker', 'nope'], 2, 'crossvenue: unknown worker "nope"; known: connector-binance, audit-sink, simulated-venue'],
  ])('refuses %j with one line and exit code %i', (args, exitCode, line) => {
    const { code, stderr } = crossvenue(args);
    expect(code).toBe(exitCode);
    expect(stderr).toBe(line);
  });

  it('stops a worker at start-up on a bad setting, naming the key', () => {
    const { code, stderr } = crossvenue(['worker', 'audit-sink'], { METRICS_PORT: 'ninety' });
    expect(code).toBe(1);
    expect(stderr).toBe('crossvenue: METRICS_PORT: expected a TCP port (1-65535), got "ninety"');
  });
});
