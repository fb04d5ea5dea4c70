import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '@crossvenue/runtime';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localApiKey, startEmbeddedRun, type EmbeddedRun } from '@crossvenue/cli';

/** Debian's chromium package; CI installs it. Without it the test says so and skips. */
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`demoCharts.test.ts: skipped, no ${CHROMIUM} (apt-get install chromium)`);

/** Generous: three connectors start at once and the strategy waits for a move; slower on a busy machine. */
const WAIT_MS = 45_000;
/** Where the screenshot goes (gitignored). */
const OUTPUT = join(import.meta.dirname, '..', '..', 'test-results');

describe.skipIf(!HAVE_CHROMIUM)('the dashboard in headless Chromium, on the embedded run as `npm start` runs it (moving books, demo strategy)', () => {
  const { key, keys } = localApiKey('read');
  let run: EmbeddedRun;
  let browser: Browser;
  let page: Page;
  const scriptErrors: string[] = [];

  beforeAll(async () => {
    run = await startEmbeddedRun({ gatewayPort: 0, keys, logger: createLogger('demo-charts-test', { level: 'silent' }), demo: { seed: 4 } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    page.on('pageerror', (error) => scriptErrors.push(error.message));
    await page.goto(`${run.gatewayUrl}/#key=${key}`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
  });

  it('shows the demo strategy\'s fills, its PnL moving on the chart, and the consolidated book of three venues with the ticket\'s route', async () => {
    const depth = page.getByTestId('depth-chart');
    await expect.poll(async () => ((await depth.getAttribute('data-venues')) ?? '').split(',').filter(Boolean).sort(), { timeout: WAIT_MS, message: 'the depth chart drawn from three venues' })
      .toEqual(['sim-binance-a', 'sim-binance-b', 'sim-bybit']);
    // Drawn by uPlot, on one canvas.
    expect(await depth.locator('canvas').count()).toBe(1);

    // Nobody orders here: the fills are the demo strategy's.
    await expect.poll(() => page.getByTestId('fill-row').count(), { timeout: WAIT_MS, message: 'a fill of the demo strategy' }).toBeGreaterThan(0);

    // Execution quality over those fills: markouts once their venues' books have moved on a second, slippage at once.
    await expect.poll(async () => Number((await page.getByTestId('markout-chart').getAttribute('data-measured')) ?? 0), { timeout: WAIT_MS, message: 'a markout on the chart' }).toBeGreaterThan(0);
    await expect.poll(async () => Number((await page.getByTestId('slippage-chart').getAttribute('data-fills')) ?? 0), { timeout: WAIT_MS, message: 'fills on the slippage chart' }).toBeGreaterThan(0);
    expect(await page.getByTestId('markout-chart').locator('canvas').count()).toBe(1);
    // Each venue account's round trip, as its connector reports it.
    await expect.poll(async () => ((await page.getByTestId('latency-chart').getAttribute('data-venues')) ?? '').split(',').filter(Boolean).length, { timeout: WAIT_MS, message: 'the latency of three venue accounts' }).toBeGreaterThanOrEqual(3);

    const pnl = page.getByTestId('pnl-chart');
    const seen = new Set<string>();
    await expect.poll(async () => {
      const last = await pnl.getAttribute('data-last');
      if (last) seen.add(last);
      return seen.size;
    }, { timeout: WAIT_MS, interval: 1_000, message: 'the PnL chart changing over time' }).toBeGreaterThanOrEqual(2);
    expect(Number(await pnl.getAttribute('data-points'))).toBeGreaterThanOrEqual(2);

    // A ticket order: the depth chart marks where the router would take it, leg by leg.
    await page.getByTestId('ticket-instrument').fill('BTC/USDT');
    await page.getByTestId('ticket-side').selectOption('BUY');
    await page.getByTestId('ticket-amount').fill('2');
    await expect.poll(() => page.getByTestId('depth-leg').count(), { timeout: WAIT_MS, message: 'the route of the ticket\'s order on the depth chart' }).toBeGreaterThanOrEqual(2);

    expect(scriptErrors).toEqual([]);

    mkdirSync(OUTPUT, { recursive: true });
    const screenshot = join(OUTPUT, 'dashboard-demo.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(`demoCharts.test.ts: screenshot at ${screenshot}`);
  }, 240_000);
});
