import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../cli/bin/crossvenue.js', import.meta.url));

function crossvenue(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

// Each case starts the real command (node + tsx) in a child process: seconds on a loaded 2-core machine.
describe('the crossvenue command line', { timeout: 30_000 }, () => {
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
    [
      ['worker', 'nope'],
      2,
      'crossvenue: unknown worker "nope"; known: simulated-venue, ccxt-connector, native-books, router, execution, positions, reconciler, audit-sink, gateway, notifier, strategy, synchronizer, arbitrage',
    ],
  ])('refuses %j with one line and exit code %i', (args, exitCode, line) => {
    const { code, stderr } = crossvenue(args);
    expect(code).toBe(exitCode);
    expect(stderr).toBe(line);
  });

  // `start --help` used to start the embedded run: --help must run nothing, for every command.
  it.each(['start', 'sim', 'stack', 'worker', 'up', 'ps', 'logs', 'down', 'supervise', 'topics', 'route', 'md', 'positions', 'report', 'audit', 'chaos', 'backtest'])('%s --help prints its usage and exits 0', (command) => {
    const { code, stdout, stderr } = crossvenue([command, '--help']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.startsWith(`usage: crossvenue ${command}`)).toBe(true);
  });

  it('refuses an option a command does not take, naming the ones it does', () => {
    expect(crossvenue(['topics', '--verbose'])).toMatchObject({ code: 2, stderr: 'crossvenue: unknown option --verbose; known: --json' });
  });

  const OKX_CAPTURE = fileURLToPath(new URL('../../shared/data/venues/cryptofeed/sample_data/OKX.ws.1.0', import.meta.url));
  it.skipIf(!existsSync(OKX_CAPTURE))('replays a recorded venue book as one JSON line per book event, with a summary', () => {
    const { code, stdout, stderr } = crossvenue(['md', 'replay', OKX_CAPTURE, '--depth', '2', '--json']);
    expect(code).toBe(0);
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; bids: unknown[] });
    expect(events).toHaveLength(290);
    expect(events.every((event) => event.type === 'book' && event.bids.length <= 2)).toBe(true);
    expect(stderr).toBe('md replay: 410 payloads, 290 book events, 0 resyncs');
  });

  it('refuses a capture it cannot read with one line', () => {
    expect(crossvenue(['md', 'replay', '/no/such/capture'])).toMatchObject({ code: 2, stderr: 'crossvenue: cannot read /no/such/capture' });
  });

  it('lists the named reports and refuses an unknown one', () => {
    const listed = crossvenue(['report']);
    expect(listed.code).toBe(0);
    for (const name of ['arb-balances', 'arb-pnl', 'intent-tca', 'intent-trail', 'venue-quality']) expect(listed.stdout).toContain(name);
    expect(crossvenue(['report', 'nope'])).toMatchObject({ code: 1, stderr: 'crossvenue: unknown report "nope"; known: arb-balances, arb-pnl, fill-markouts, intent-tca, intent-trail, tca-rollup, venue-quality' });
  });

  it('stops a worker at start-up on a bad setting, naming the key', () => {
    const { code, stderr } = crossvenue(['worker', 'audit-sink'], { METRICS_PORT: 'ninety' });
    expect(code).toBe(1);
    expect(stderr).toBe('crossvenue: METRICS_PORT: expected a TCP port (1-65535), got "ninety"');
  });
});
