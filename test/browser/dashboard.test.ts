import { existsSync } from 'node:fs';
import { Decimal, TOPICS, type ArbitrageGroup, type SyncDecision } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { createLogger } from '@crossvenue/runtime';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PORTFOLIO, localApiKey, startEmbeddedRun, type EmbeddedRun } from '@crossvenue/cli';

/** Debian's chromium package; CI installs it. Without it the test says so and skips. */
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`dashboard.test.ts: skipped, no ${CHROMIUM} (apt-get install chromium)`);

const AMOUNT = '1.5';
const WAIT_MS = 15_000;
/** The first books reach the gateway through three connectors starting at once: slower on a busy machine. */
const BOOKS_WAIT_MS = 45_000;

describe.skipIf(!HAVE_CHROMIUM)('the dashboard in headless Chromium, on the embedded run', () => {
  const { key, keys } = localApiKey('trader');
  let run: EmbeddedRun;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // Still books (no background flow), kept fresh by the connectors' book heartbeat: the split
    // and the fills are the router's doing, not the flow's. Every venue at the same mid: with the
    // demo's offsets (±1.5 bps) the cheapest venue alone can fill 1.5 BTC once another's book is
    // a second older (2 bps a second of staleness), so the split would hang on the heartbeat's
    // timing; at one mid it rests on depth.
    run = await startEmbeddedRun({ gatewayPort: 0, keys, logger: createLogger('dashboard-test', { level: 'silent' }), demo: { seed: 9, flow: false, movingPrices: false } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
    page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    // The key travels in the fragment, which the browser never sends to the server.
    await page.goto(`${run.gatewayUrl}/#key=${key}`);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
  });

  it('previews the plan, sends the order, shows it split across venues and filled, and moves the BTC position', async () => {
    const btcNet = page.locator('[data-testid="position-row"][data-underlying="BTC"] [data-testid="position-net"]');
    const before = (await btcNet.count()) > 0 ? new Decimal(await btcNet.innerText()) : new Decimal(0);

    await page.getByTestId('ticket-portfolio').fill(DEMO_PORTFOLIO);
    await page.getByTestId('ticket-instrument').fill('BTC/USDT');
    await page.getByTestId('ticket-side').selectOption('BUY');
    await page.getByTestId('ticket-type').selectOption('market');
    await page.getByTestId('ticket-amount').fill(AMOUNT);
    // The router needs the books first; a preview before they arrive shows no leg, so ask again.
    await expect.poll(async () => {
      await page.getByTestId('ticket-preview').click();
      return page.getByTestId('plan-leg').count();
    }, { timeout: BOOKS_WAIT_MS, interval: 500, message: 'a preview with two legs or more' }).toBeGreaterThanOrEqual(2);
    const plannedVenues = await page.getByTestId('plan-leg').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-venue')));
    expect(new Set(plannedVenues).size).toBe(plannedVenues.length);

    await page.getByTestId('ticket-send').click();
    const result = page.getByTestId('ticket-result');
    await expect.poll(() => result.getAttribute('data-intent-id'), { timeout: WAIT_MS }).toBeTruthy();
    const intentId = (await result.getAttribute('data-intent-id'))!;

    // The execution path panel shows the sent intent. The router decides again at send time over
    // the books of that moment, so its legs can differ from the preview's; it still splits. On a
    // loaded machine a book can move before a leg arrives: what that IOC leg left is routed again,
    // so a venue may get a second leg; what must hold is the split and the exact amount.
    const venuesOf = (selector: string) => page.locator(selector).evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('data-venue')))].sort().join(' '));
    const legs = '[data-testid="path-leg"]';
    await expect.poll(async () => (await venuesOf(legs)).split(' ').filter(Boolean).length, { timeout: WAIT_MS, message: 'legs on two venues or more' }).toBeGreaterThanOrEqual(2);
    const orderStates = () => page.getByTestId('path-order').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-state')));
    const ended = new Set(['FILLED', 'EXPIRED', 'CANCELED', 'REJECTED']);
    const settled = (states: Array<string | null>) => states.includes('FILLED') && states.every((state) => ended.has(state!));
    await expect.poll(async () => settled(await orderStates()), { timeout: WAIT_MS, message: 'every child order ended, one filled at least' }).toBe(true);
    // The intent's closed orders and its fills show on at least two venues.
    for (const [what, selector] of [['closed orders', `[data-testid="closed-order-row"][data-intent-id="${intentId}"]`], ['fills', `[data-testid="fill-row"][data-intent-id="${intentId}"]`]]) {
      await expect.poll(async () => (await venuesOf(selector!)).split(' ').filter(Boolean).length, { timeout: WAIT_MS, message: `${what} on two venues or more` }).toBeGreaterThanOrEqual(2);
    }

    await expect.poll(async () => ((await btcNet.count()) > 0 ? new Decimal(await btcNet.innerText()).minus(before).toFixed() : null), { timeout: WAIT_MS }).toBe(AMOUNT);
  }, 120_000);

  it('lists arbitrage groups at their latest record, rounded to the instrument\'s precision, with their legs on a click', async () => {
    const example = EXAMPLES.find((e) => e.schema === TOPICS.arbitrageGroups.schema)!.value as ArbitrageGroup;
    const opened: ArbitrageGroup = {
      ...example, eventId: 'dash-arb-1:OPEN', groupId: 'dash-arb-1', strategy: 'dash-arb', portfolio: DEMO_PORTFOLIO, state: 'OPEN', instrument: 'BTC/USDT',
      buyVenue: 'sim-bybit', sellVenue: 'sim-binance-a', expectedEdge: '10.92345678', realizedEdge: null, unwindCost: null, closedAtMs: null,
    };
    await run.messages.publish(TOPICS.arbitrageGroups, [opened, { ...opened, eventId: 'dash-arb-1:UNWOUND', state: 'UNWOUND', realizedEdge: '-3.145', unwindCost: '14.5551', closedAtMs: opened.openedAtMs + 40 }]);
    const row = page.locator('[data-testid="arb-group-row"][data-group-id="dash-arb-1"]');
    await expect.poll(() => row.getAttribute('data-state'), { timeout: WAIT_MS }).toBe('UNWOUND');
    expect(await row.count()).toBe(1);
    expect([await row.getAttribute('data-buy-venue'), await row.getAttribute('data-sell-venue')]).toEqual(['sim-bybit', 'sim-binance-a']);
    // BTC/USDT prices have 2 decimals on the demo venues: money is shown to the cent, exact in the title.
    const cell = (testId: string) => row.getByTestId(testId);
    expect([await cell('arb-expected-edge').innerText(), await cell('arb-realized-edge').innerText(), await cell('arb-unwind-cost').innerText()]).toEqual(['10.92', '-3.15', '14.56']);
    expect(await cell('arb-expected-edge').getAttribute('title')).toBe('10.92345678');
    await row.click();
    const legs = page.locator('[data-testid="arb-leg-row"][data-group-id="dash-arb-1"]');
    await expect.poll(() => legs.evaluateAll((rows) => rows.map((leg) => `${leg.getAttribute('data-role')} ${leg.getAttribute('data-venue')}`)), { timeout: WAIT_MS })
      .toEqual(example.legs.map((leg) => `${leg.role} ${leg.venue}`));
  }, 60_000);

  it('shows the synchronizer\'s followers and decisions, a follower paused after a PAUSE, quantities rounded to the instrument\'s precision', async () => {
    const example = EXAMPLES.find((e) => e.schema === TOPICS.syncDecisions.schema)!.value as SyncDecision;
    const base: SyncDecision = {
      ...example, follower: 'dash-copy', leaderVenue: 'sim-binance-a', venue: 'sim-bybit', leaderInstrument: 'BTC/USDT', instrument: 'BTC/USDT', decidedAtMs: Date.now(),
      side: null, quantity: null, limitPrice: null, targetQuantity: null, actualQuantity: null, residualQuantity: null, intentId: null,
    };
    const mirrored: SyncDecision = {
      ...base, eventId: 'sync:dash-copy:order:1', kind: 'MIRROR', side: 'BUY', quantity: '0.01234567', limitPrice: '64000.12345',
      targetQuantity: '0.01234567', actualQuantity: '0', residualQuantity: '0', intentId: 'sync-dash-copy-o-1', reason: 'mirrored the leader\'s resting order',
    };
    const paused: SyncDecision = { ...base, eventId: 'sync:dash-copy:control:1', kind: 'PAUSE', reason: 'desk: hold the copy' };
    const skipped: SyncDecision = {
      ...base, eventId: 'sync:dash-copy:fill:2', kind: 'SKIP', side: 'BUY', quantity: '0.004', targetQuantity: '0.01634567', actualQuantity: '0.01234567', residualQuantity: '0.004', reason: 'paused: kept as residual',
    };
    await run.messages.publish(TOPICS.syncDecisions, [mirrored, paused, skipped]);

    const decisions = page.locator('[data-testid="sync-decision-row"][data-follower="dash-copy"]');
    await expect.poll(() => decisions.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind'))), { timeout: WAIT_MS }).toEqual(['SKIP', 'PAUSE', 'MIRROR']);
    const follower = page.locator('[data-testid="sync-follower-row"][data-follower="dash-copy"]');
    expect([await follower.getAttribute('data-paused'), await follower.getByTestId('sync-paused').innerText()]).toEqual(['true', 'PAUSED']);
    expect([await follower.getByTestId('sync-mirrors').innerText(), await follower.getByTestId('sync-skips').innerText(), await follower.getByTestId('sync-corrections').innerText()]).toEqual(['1', '1', '0']);
    // BTC/USDT on the demo venues: prices to 2 decimals, quantities to 5; exact in the title.
    const instrument = page.locator('[data-testid="sync-instrument-row"][data-follower="dash-copy"][data-instrument="BTC/USDT"]');
    const texts = (row: typeof instrument, testIds: string[]) => Promise.all(testIds.map((testId) => row.getByTestId(testId).innerText()));
    expect(await texts(instrument, ['sync-target', 'sync-actual', 'sync-residual'])).toEqual(['0.01635', '0.01235', '0.00400']);
    const mirror = decisions.and(page.locator('[data-kind="MIRROR"]'));
    expect(await texts(mirror, ['sync-quantity', 'sync-limit', 'sync-residual'])).toEqual(['0.01235', '64000.12', '0.00000']);
    expect(await mirror.getByTestId('sync-limit').getAttribute('title')).toBe('64000.12345');

    await run.messages.publish(TOPICS.syncDecisions, [{ ...base, eventId: 'sync:dash-copy:control:2', kind: 'RESUME', reason: 'desk: go on' }]);
    await expect.poll(() => follower.getAttribute('data-paused'), { timeout: WAIT_MS }).toBe('false');
    expect(await follower.getByTestId('sync-paused').innerText()).toBe('ACTIVE');
  }, 60_000);
});
