import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@crossvenue/runtime';
import { localApiKey, startEmbeddedRun, type EmbeddedRun } from '@crossvenue/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonWithRequirements, runCommand } from '../support/pythonVenv.ts';

/**
 * schemathesis against the gateway of the embedded run, in process: it generates requests from
 * the served /openapi.json (valid and invalid ones, then sequences over its links) and runs every
 * check on the answers, so the document says what the server does: the ids, values and fields it
 * takes, the answers and their bodies, the Allow header of a 405. The few answers the document
 * cannot state are in schemathesis.toml, each with why.
 */

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REQUIREMENTS = join(HERE, 'schemathesis-requirements.txt');
// Enough cases per operation to reach each field's rules, few enough to stay well inside the timeout.
const EXAMPLES_PER_OPERATION = 20;
// Fixed, so CI generates the same cases every run; a failure replays with the same seed.
const SEED = 20_240_611;
const OUTPUT_TAIL_LINES = 120;

interface Report {
  exit_code: number;
  test_cases: { generated: number; unique_failures: number };
  errors: unknown[];
}

describe('the OpenAPI document against the gateway (schemathesis, all checks)', () => {
  // An admin key: every route is reachable, so every operation is tested past its role check.
  const { key, keys } = localApiKey('admin');
  const progress = createLogger('schemathesis-test');
  const work = mkdtempSync(join(tmpdir(), 'crossvenue-schemathesis-'));
  let python: string;
  let run: EmbeddedRun | undefined;

  beforeAll(async () => {
    python = await pythonWithRequirements(REQUIREMENTS, 'crossvenue-schemathesis', progress);
    // Still books, no background flow: what changes is what schemathesis sends. The control routes
    // (kill switch, cancel-all, flatten) only act on the simulated venues of this run. An empty
    // backtests folder: the backtest routes answer for real (a list, 404s) instead of 503.
    run = await startEmbeddedRun({
      gatewayPort: 0,
      keys,
      logger: createLogger('schemathesis-test', { level: 'silent' }),
      demo: { seed: 3, flow: false, movingPrices: false },
      backtests: mkdtempSync(join(work, 'backtests-')),
    });
  }, 300_000);

  afterAll(async () => {
    await run?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('finds no difference between the document and the server', async () => {
    const reports = join(work, 'report');
    const schemathesis = join(python, '..', 'schemathesis');
    const { code, stdout, stderr } = await runCommand(
      schemathesis,
      [
        '--config-file', join(HERE, 'schemathesis.toml'),
        'run', `${run!.gatewayUrl}/openapi.json`,
        '--header', `X-API-Key: ${key}`,
        '--checks', 'all',
        '--max-examples', String(EXAMPLES_PER_OPERATION),
        '--seed', String(SEED),
        // No example database across runs: each run is the seed's cases only.
        '--generation-database', 'none',
        '--workers', '1',
        '--no-color',
        '--report', 'json',
        '--report-dir', reports,
      ],
      { env: { ...process.env, SCHEMATHESIS_HOOKS: join(HERE, 'schemathesis_hooks.py') }, cwd: work },
    );
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-OUTPUT_TAIL_LINES).join('\n');
    const reportFile = readdirSync(reports).find((name) => name.endsWith('.json'));
    expect(reportFile, `schemathesis wrote no JSON report (exit ${code}):\n${tail}`).toBeDefined();
    const report = JSON.parse(readFileSync(join(reports, reportFile!), 'utf8')) as Report;
    expect(report.test_cases.generated, tail).toBeGreaterThan(0);
    expect({ exit: code, failures: report.test_cases.unique_failures, errors: report.errors.length }, `schemathesis output:\n${tail}`).toEqual({ exit: 0, failures: 0, errors: 0 });
  }, 240_000);
});
