import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@crossvenue/runtime';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backtestCommand, localApiKey, startEmbeddedRun, type BacktestResult, type EmbeddedRun } from '@crossvenue/cli';

/** Debian's chromium package; CI installs it. Without it the test says so and skips. */
const CHROMIUM = '/usr/bin/chromium';
/** `../shared/data/venues` beside the repository (DESIGN.md, "Real data for tests"): the run is a real backtest over a recorded capture. */
const DATA = fileURLToPath(new URL('../../../shared/data/venues/cryptofeed/sample_data', import.meta.url));
const BINANCE = [`${DATA}/BINANCE.http.0.0`, `${DATA}/BINANCE.ws.1.0`];
const READY = existsSync(CHROMIUM) && BINANCE.every((file) => existsSync(file));
if (!READY) console.warn(`backtests.test.ts: skipped, needs ${CHROMIUM} (apt-get install chromium) and the recorded captures under ${DATA}`);

const WAIT_MS = 30_000;
/** Where the screenshot goes (gitignored). */
const OUTPUT = join(import.meta.dirname, '..', '..', 'test-results');

/** Takers and a resting pair on NKN/USDT, so the run has fills on both sides and PnL that moves. */
const INTENTS = [
  { at: 1000, instrument: 'NKN/USDT', side: 'BUY', amount: '6000', limitPrice: '0.3540' },
  { at: 2500, instrument: 'NKN/USDT', side: 'SELL', amount: '3000', limitPrice: '0.3500' },
  { at: 3000, instrument: 'NKN/USDT', side: 'SELL', amount: '2000', limitPrice: '0.3526', timeInForce: 'GTC' },
];

describe.skipIf(!READY)('the dashboard\'s Backtests panel in headless Chromium, over a saved backtest run', () => {
  const { key, keys } = localApiKey('read');
  let dir: string;
  let result: BacktestResult;
  let run: EmbeddedRun;
  let browser: Browser;
  let page: Page;
  const scriptErrors: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backtests-browser-'));
    const intents = join(dir, 'orders.jsonl');
    await writeFile(intents, INTENTS.map((intent) => JSON.stringify(intent)).join('\n'));
    // The command as the CLI runs it: it keeps the run in the runs folder the gateway serves.
    const stdout = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await backtestCommand(['--data', BINANCE.join(','), '--intents', intents, '--json', '--runs-dir', join(dir, 'runs')])).toBe(0);
      result = JSON.parse(stdout.mock.calls.map((call) => call.join(' ')).join('\n')) as BacktestResult;
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    // Still books, no demo strategy: the panel is what this test looks at.
    run = await startEmbeddedRun({ gatewayPort: 0, keys, logger: createLogger('backtests-browser-test', { level: 'silent' }), demo: { flow: false }, backtests: join(dir, 'runs') });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 2400 } });
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    await page.goto(`${run.gatewayUrl}/#key=${key}`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists the run with its figures, draws its PnL over time, shows its venues and links its HTML report', async () => {
    const row = page.getByTestId('backtest-row');
    await expect.poll(() => row.count(), { timeout: WAIT_MS, message: 'the saved run in the panel' }).toBe(1);
    expect(await row.getAttribute('data-run-id')).toMatch(/^\d{8}T\d{9}Z-intents-orders-seed1$/);
    expect(result.counts.fills).toBeGreaterThan(0);
    // The run's PnL in its title, exact; shown rounded.
    const [currency, pnl] = Object.entries(result.final.pnl)[0]!;
    expect(await row.getByTestId('backtest-pnl').getAttribute('title')).toBe(`${pnl} ${currency}`);

    // The newest run is shown without a click: its PnL samples drawn by uPlot.
    const chart = page.getByTestId('backtest-pnl-chart');
    await expect.poll(async () => Number((await chart.getAttribute('data-points')) ?? 0), { timeout: WAIT_MS, message: 'PnL samples on the chart' }).toBe(result.samples.length);
    expect(result.samples.length).toBeGreaterThanOrEqual(2);
    expect(await chart.getAttribute('data-currencies')).toBe(currency);
    expect(await chart.locator('canvas').count()).toBe(1);

    const venues = page.getByTestId('backtest-venue-row');
    expect(await venues.count()).toBe(result.venues.length);
    expect(await venues.first().getAttribute('data-venue')).toBe(result.venues[0]!.venue);

    // The report link opens the run's own HTML page.
    const link = page.getByTestId('backtest-report-link');
    await expect.poll(() => link.getAttribute('data-run-id'), { timeout: WAIT_MS }).toBe(await row.getAttribute('data-run-id'));
    const [report] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    await report.waitForLoadState();
    expect(await report.locator('h1').textContent()).toContain('Backtest: intents on BINANCE.http.0.0, BINANCE.ws.1.0');
    await report.close();

    expect(scriptErrors).toEqual([]);
    mkdirSync(OUTPUT, { recursive: true });
    const screenshot = join(OUTPUT, 'dashboard-backtests.png');
    await page.getByTestId('backtests-panel').screenshot({ path: screenshot });
    console.log(`backtests.test.ts: screenshot at ${screenshot}`);
  }, 120_000);
});
