import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCENARIOS, SupervisedRun } from '@crossvenue/cli';
import { describe, expect, it } from 'vitest';

/**
 * The fault matrix's short run, as `npm test` carries it (issue #16): `crossvenue chaos` with every
 * scenario once under a small load, with a Kafka broker, a registry, venues and a ClickHouse of the
 * run's own (two accounts on sim-binance-a), judged from the simulated venues' own lists, the
 * Kafka topics and the ClickHouse audit log. Each scenario's line must show every invariant kept
 * and a recovery time; the command's exit code says the same.
 */

/** Every scenario: the run's servers and `up` (workers start through tsx), then 15 to 75 s each, then `down`: about 12 minutes here. */
const MATRIX_TIMEOUT_MS = 25 * 60_000;

interface ScenarioLine {
  scenario: string;
  recoveryMs: number | null;
  broken: string[];
  findings: {
    intentsSent: number;
    intentsAccounted: number;
    ordersByAccount: Record<string, number>;
    duplicateOrders: string[];
    ordersWithoutIntent: string[];
    lostFills: string[];
    fillsNoVenueLists: string[];
    positionDrift: Record<string, string>;
    auditMissing: string[];
    notDeadLettered: string[];
  };
}

describe('crossvenue chaos: the fault matrix on the running pipeline', () => {
  it(
    'injects every fault once (each worker killed, execution, positions and the reconciler killed again while restoring, venue outage, dropped sockets, lost acks, duplicated and unstreamed fills, book gaps, rate limits, venue clock skew, broker and registry restarts, ClickHouse down, poison), and every scenario keeps every invariant and converges',
    async () => {
      const env = { ...process.env };
      delete env.CROSSVENUE_CONFIG;
      const dir = mkdtempSync(join(tmpdir(), 'chaos-report-'));
      const page = join(dir, 'chaos.html');
      const ran = await new SupervisedRun(env).command(['chaos', '--json', '--rate', '2', '--seconds', '5', '--seed', '7', '--html', page]);
      console.log(ran.stderr.trim());
      const lines = ran.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as ScenarioLine);
      expect(lines.map(({ scenario }) => scenario)).toEqual(SCENARIOS.map(({ name }) => name));
      for (const { scenario, findings, broken, recoveryMs } of lines) {
        expect(broken, scenario).toEqual([]);
        expect(findings.intentsSent, scenario).toBeGreaterThan(0);
        expect(findings.intentsAccounted, scenario).toBe(findings.intentsSent);
        expect(findings, scenario).toMatchObject({
          duplicateOrders: [],
          ordersWithoutIntent: [],
          lostFills: [],
          fillsNoVenueLists: [],
          positionDrift: {},
          auditMissing: [],
          notDeadLettered: [],
        });
        expect(recoveryMs, `${scenario}: converged after the fault`).not.toBeNull();
      }
      // Both accounts on sim-binance-a traded: two connectors on one venue's book, each account's evidence its own.
      for (const account of ['sim-binance-a|demo', 'sim-binance-a|desk-2']) {
        expect(lines.reduce((sum, { findings }) => sum + (findings.ordersByAccount[account] ?? 0), 0), account).toBeGreaterThan(0);
      }
      expect(ran.code, ran.stderr.split('\n').at(-1)).toBe(0);
      // The report page: a recovery bar and a drift chart for every scenario.
      const html = readFileSync(page, 'utf8');
      rmSync(dir, { recursive: true, force: true });
      for (const { name } of SCENARIOS) {
        expect(html, name).toContain(`<rect class="bar" data-name="${name}"`);
        expect(html, name).toContain(`<svg id="drift-${name}"`);
      }
    },
    MATRIX_TIMEOUT_MS,
  );
});
