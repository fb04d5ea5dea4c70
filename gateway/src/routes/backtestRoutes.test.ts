import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessBus, MessageBus, createLogger } from '@crossvenue/runtime';
import { LocalCodec } from '@crossvenue/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys } from '../auth/ApiKeys.ts';
import { backtestsFolder, RUN_FILES, type SavedBacktestRun } from '../backtests/savedBacktests.ts';
import { GatewayServer } from '../GatewayServer.ts';
import { IdempotencyKeys } from '../IdempotencyKeys.ts';
import { LiveState } from '../LiveState.ts';
import { apiRoutes } from '../routes.ts';
import { backtestRoutes } from './backtestRoutes.ts';

// The real saving path (a backtest run kept and served) is tested in cli/src/backtest/backtest.test.ts;
// here, what the routes do with whatever the folder holds.

const KEY = 'read-key-0123456789abcdefghijkl';
let root: string;
let folder: string;

/** A run.json as the writer makes it (figures here are arbitrary: the routes pass them through). */
function runOf(id: string, startedAtMs: number): SavedBacktestRun {
  return {
    id,
    startedAtMs,
    data: ['BINANCE.ws.1.0'],
    strategy: null,
    intents: 'orders.jsonl',
    settings: {},
    seed: 1,
    fillModel: 'book',
    portfolio: 'backtest',
    summary: { bookEvents: 10, intents: 1, orders: 1, fills: 1, pnl: { USDT: '-0.5' }, fees: { USDT: '0.1' }, slippageBps: '1.5', wallSeconds: 0.1, eventsPerSecond: 100, timesRealTime: 50 },
    precision: { currencies: { USDT: 4 }, instruments: { 'NKN/USDT': { price: 4, quantity: 0 } } },
  };
}

async function saved(id: string, files: Partial<Record<keyof typeof RUN_FILES, string>>): Promise<void> {
  await mkdir(join(folder, id), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(folder, id, RUN_FILES[name as keyof typeof RUN_FILES]), text);
}

function routes(backtests: string | undefined) {
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('backtest-routes-test', { level: 'silent' }));
  const all = backtestRoutes({ state: new LiveState(), messages, idempotency: new IdempotencyKeys(), now: () => 7, backtests });
  const get = (path: string, id: string | undefined, query = '') =>
    all.find((route) => route.path === path)!.handle({ principal: { name: 'viewer', role: 'read' }, params: id === undefined ? {} : { id }, query: new URLSearchParams(query), body: async () => ({}), idempotencyKey: undefined });
  return { list: (query?: string) => get('/backtests', undefined, query), run: (id: string, query?: string) => get('/backtests/{id}', id, query), page: (id: string) => get('/backtests/{id}/report.html', id) };
}

const OLDER = '20261204T090000000Z-intents-orders-seed1';
const NEWER = '20261205T100000000Z-mid-reversion-seed7';
const BROKEN = '20261205T110000000Z-intents-orders-seed2';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'backtest-routes-'));
  folder = join(root, 'runs');
  await saved(OLDER, { run: JSON.stringify(runOf(OLDER, 1)), report: '{"counts":{"fills":1}}', page: '<!doctype html><p>older</p>' });
  await saved(NEWER, { run: JSON.stringify(runOf(NEWER, 2)), report: '{"counts":{"fills":2}}', page: '<!doctype html><p>newer</p>' });
  await saved(BROKEN, { run: '{"id": "20261205T11', report: 'not json' });
  // Not runs: a writer's work folder, a stray file, a link to a folder elsewhere.
  await saved('.20261205T120000000Z-x-seed1.4242.tmp', { run: JSON.stringify(runOf('x', 3)) });
  await writeFile(join(folder, 'notes.txt'), 'a file');
  await mkdir(join(root, 'elsewhere'));
  await writeFile(join(root, 'elsewhere', RUN_FILES.run), JSON.stringify(runOf('linked', 4)));
  await writeFile(join(root, 'secret.html'), '<p>outside the folder</p>');
  await symlink(join(root, 'elsewhere'), join(folder, 'linked'));
  // A run whose page is a link out of the folder.
  await saved('20261201T000000000Z-leaky-seed1', { run: JSON.stringify(runOf('20261201T000000000Z-leaky-seed1', 0)), report: '{}' });
  await symlink(join(root, 'secret.html'), join(folder, '20261201T000000000Z-leaky-seed1', RUN_FILES.page));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('GET /backtests', () => {
  it('lists the runs newest first with their figures, and a run whose run.json cannot be read with the reason', async () => {
    const { runs, total } = (await routes(folder).list()).body as { runs: Array<Record<string, unknown>>; total: number };
    expect(runs.map((run) => run.id)).toEqual([BROKEN, NEWER, OLDER, '20261201T000000000Z-leaky-seed1']);
    expect(total).toBe(4);
    expect(runs[0]).toEqual({ id: BROKEN, error: expect.stringMatching(/^run\.json: .*JSON/) });
    expect(runs[1]).toEqual(runOf(NEWER, 2));
    expect((await routes(folder).list('limit=2')).body).toEqual({ runs: runs.slice(0, 2), total: 4 });
  });

  it('refuses a parameter it does not take, and lists nothing before the first run made the folder', async () => {
    await expect(routes(folder).list('portfolio=x')).rejects.toMatchObject({ status: 400, field: 'portfolio' });
    await expect(routes(folder).list('limit=0')).rejects.toMatchObject({ status: 400, field: 'limit' });
    expect((await routes(join(root, 'not-yet')).list()).body).toEqual({ runs: [], total: 0 });
  });

  it('says so where the gateway has no runs folder', async () => {
    await expect(routes(undefined).list()).rejects.toMatchObject({ status: 503, code: 'no_backtests_folder' });
  });
});

describe('GET /backtests/{id} and its report.html', () => {
  it('serves the run and its JSON report', async () => {
    expect((await routes(folder).run(NEWER)).body).toEqual({ run: runOf(NEWER, 2), report: { counts: { fills: 2 } } });
  });

  it('answers 404 in one line for an id that is no run, and 500 naming the file for a run that cannot be read', async () => {
    await expect(routes(folder).run('20260101T000000000Z-nothing-seed1')).rejects.toMatchObject({ status: 404, message: 'no backtest run "20260101T000000000Z-nothing-seed1" with a run.json' });
    await expect(routes(folder).run(BROKEN)).rejects.toMatchObject({ status: 500, code: 'unreadable_run', message: expect.stringMatching(/^backtest run "[^"]+": run\.json: /) });
    await expect(routes(folder).page(BROKEN)).rejects.toMatchObject({ status: 404 });
    await expect(routes(folder).run(NEWER, 'x=1')).rejects.toMatchObject({ status: 400, field: 'x' });
  });

  it('never serves a path outside the folder', async () => {
    for (const id of ['..', '../secret.html', '..%2Fsecret.html', 'a/../../secret.html', '/etc/passwd', '.20261205T120000000Z-x-seed1.4242.tmp']) {
      await expect(routes(folder).run(id), id).rejects.toMatchObject({ status: 400, field: 'id' });
      await expect(routes(folder).page(id), id).rejects.toMatchObject({ status: 400, field: 'id' });
    }
    // Links out of the folder: a run folder that is one, a page that is one.
    await expect(routes(folder).run('linked')).rejects.toMatchObject({ status: 404 });
    await expect(routes(folder).page('20261201T000000000Z-leaky-seed1')).rejects.toMatchObject({ status: 404 });
  });

  it('serves the page as HTML under a policy that lets it load and run nothing, over HTTP', async () => {
    const state = new LiveState();
    const messages = new MessageBus(new InProcessBus(), new LocalCodec(), createLogger('backtest-routes-test', { level: 'silent' }));
    const gateway = new GatewayServer(apiRoutes({ state, messages, idempotency: new IdempotencyKeys(), now: Date.now, backtests: folder }), new ApiKeys([{ name: 'viewer', role: 'read', key: KEY }]), state, createLogger('backtest-routes-test', { level: 'silent' }));
    const url = await gateway.start(0);
    try {
      const page = await fetch(`${url}/backtests/${OLDER}/report.html`, { headers: { 'x-api-key': KEY } });
      expect([page.status, page.headers.get('content-type'), await page.text()]).toEqual([200, 'text/html; charset=utf-8', '<!doctype html><p>older</p>']);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page.headers.get('content-security-policy')).toContain('sandbox');
      // Encoded separators decode into the id, which is then refused.
      const escaped = await fetch(`${url}/backtests/..%2F..%2Fsecret.html/report.html`, { headers: { 'x-api-key': KEY } });
      expect(escaped.status).toBe(400);
      expect((await fetch(`${url}/backtests/${OLDER}/report.html`)).status).toBe(401);
    } finally {
      await gateway.stop();
    }
  });
});

describe('the runs folder setting', () => {
  it('is the working directory\'s .crossvenue/backtests unless CROSSVENUE_BACKTESTS_DIR says otherwise, and never a file', () => {
    expect(backtestsFolder({}, root)).toBe(join(root, '.crossvenue', 'backtests'));
    expect(backtestsFolder({ CROSSVENUE_BACKTESTS_DIR: 'runs' }, root)).toBe(folder);
    expect(() => backtestsFolder({ CROSSVENUE_BACKTESTS_DIR: 'secret.html' }, root)).toThrow(/^CROSSVENUE_BACKTESTS_DIR: expected a folder/);
  });
});
