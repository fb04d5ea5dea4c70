import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backtestCommand } from '@crossvenue/cli';

/** Debian's chromium package; CI installs it. Without it (or the recorded data) the test says so and skips. */
const CHROMIUM = '/usr/bin/chromium';
/** `../shared/data/venues` beside the repository (DESIGN.md, "Real data for tests"). */
const DATA = fileURLToPath(new URL('../../../shared/data/venues/cryptofeed/sample_data', import.meta.url));
const FILES = [`${DATA}/BINANCE.http.0.0`, `${DATA}/BINANCE.ws.1.0`];
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const HAVE_DATA = FILES.every((file) => existsSync(file));
if (!HAVE_CHROMIUM) console.warn(`htmlReport.test.ts: skipped, no ${CHROMIUM} (apt-get install chromium)`);
if (!HAVE_DATA) console.warn(`htmlReport.test.ts: skipped, no recorded captures under ${DATA}`);

describe.skipIf(!HAVE_CHROMIUM || !HAVE_DATA)('the backtest HTML report in headless Chromium', () => {
  let dir: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'backtest-report-'));
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('opens offline and draws the PnL and position charts', async () => {
    const intents = join(dir, 'intents.jsonl');
    await writeFile(
      intents,
      [
        { at: 1000, instrument: 'NKN/USDT', side: 'BUY', amount: '2000', limitPrice: '0.36' },
        { at: 6000, instrument: 'NKN/USDT', side: 'SELL', amount: '1000' },
        { at: 9000, instrument: 'LRC/BTC', side: 'BUY', amount: '3000', limitPrice: '0.0000064' },
      ]
        .map((intent) => JSON.stringify(intent))
        .join('\n'),
    );
    const report = join(dir, 'report.html');
    const quiet = [vi.spyOn(console, 'log').mockImplementation(() => undefined), vi.spyOn(console, 'error').mockImplementation(() => undefined)];
    try {
      expect(await backtestCommand(['--data', FILES.join(','), '--intents', intents, '--report', report])).toBe(0);
    } finally {
      for (const spy of quiet) spy.mockRestore();
    }

    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(report).href);
    for (const chart of ['pnl', 'positions']) {
      const series = page.locator(`svg#${chart} polyline.series`);
      await expect.poll(() => series.count()).toBeGreaterThan(0);
      // Drawn: the browser laid each line out with a real extent.
      const box = await series.first().boundingBox();
      expect(box!.width).toBeGreaterThan(100);
    }
    expect(await page.locator('svg#positions polyline.series').evaluateAll((lines) => lines.map((line) => line.getAttribute('data-series')).sort())).toEqual(['LRC/BTC', 'NKN/USDT']);
    expect(await page.locator('svg#pnl polyline.series').evaluateAll((lines) => lines.map((line) => line.getAttribute('data-series')).sort())).toEqual(['BTC', 'USDT']);
    expect(requests).toEqual([pathToFileURL(report).href]);
    await page.close();
  }, 60_000);
});
