import { ApiKeys, backtestsFolder } from '@crossvenue/gateway';
import { createLogger, settings } from '@crossvenue/runtime';
import { parseArgs, UsageError } from '../args.ts';
import { startEmbeddedRun } from '../embedded/EmbeddedRun.ts';
import { localApiKey } from '../embedded/localApiKey.ts';
import { DEFAULT_PAPER_BALANCES, DEFAULT_PAPER_LATENCY_MS, DEFAULT_PAPER_SYMBOLS, DEFAULT_PAPER_VENUES, paperSettings } from '../paper/paperSettings.ts';
import { startPaperRun } from '../paper/PaperRun.ts';
import { untilSignal } from '../untilSignal.ts';

export const HELP = `usage: crossvenue start [--no-demo-strategy] [--no-demo-arbitrage] [--no-demo-funding]
       crossvenue start --paper [--venues V,…] [--symbols S,…] [--latency V=MS,…] [--balances A=N,…] [--no-demo-strategy]

The embedded run (what \`npm start\` runs): three simulated spot venues with moving books and a
simulated perpetuals venue (sim-usdm, USD-M dialect, funding every minute), every worker in one
process over the in-process bus, the dashboard, a demo strategy (mid reversion, 0.05 BTC clips), a
demo arbitrage (BTC/USDT across the three spot venues, 0.05 BTC groups, both legs IOC) and a demo
funding arbitrage (long BTC/USDT on sim-binance-a, short BTC/USDT:USDT on sim-usdm while funding
pays more than 30 % a year; the demo's rates change regime every few minutes) trading the demo
portfolio. Needs no Kafka, registry or ClickHouse and never contacts a live
venue. Prints the dashboard URL with a local admin API key; Ctrl-C stops it.

--paper: paper trading. The same pipeline over LIVE public books (native WebSocket adapters) with
fills simulated against those books; it never places a real order, has no venue client that
could, and refuses to start with venue credentials in the environment. Orders name the portfolio
\`paper\`; fills land on account \`paper\` of each venue (cli/src/paper/README.md).

  --no-demo-strategy   run without the demo strategy: only your orders trade
  --no-demo-arbitrage  run without the demo arbitrage (not with --paper: a paper run has none)
  --no-demo-funding    run without the perpetuals venue and the demo funding arbitrage (not with --paper)
  --venues             paper venues, of binance, okx, bybit, kraken (spot); default ${DEFAULT_PAPER_VENUES.join(',')}
  --symbols            spot symbols followed and traded on every venue; default ${DEFAULT_PAPER_SYMBOLS.join(',')}
  --latency            per venue: ms until an order (and a cancel) reaches the paper venue; default ${DEFAULT_PAPER_LATENCY_MS}
  --balances           what each paper account holds at start; default ${DEFAULT_PAPER_BALANCES}

Settings: GATEWAY_PORT (default 8080); CROSSVENUE_API_KEYS or CROSSVENUE_SECRETS_FILE for your own keys
(paper: CROSSVENUE_API_KEYS only). Paper: <VENUE>_WS_URL (and BINANCE_REST_URL) replace a live
venue's public endpoints, e.g. OKX_WS_URL=ws://127.0.0.1:8101; VENUE_API_KEY, VENUE_API_SECRET, …
and CROSSVENUE_SECRETS_FILE are refused.`;

const PAPER_OPTIONS = ['venues', 'symbols', 'latency', 'balances'] as const;

/**
 * `crossvenue start` (`npm start`): the embedded run (cli/src/embedded/): three simulated venues,
 * the whole pipeline in one process and the dashboard. No Kafka, registry or ClickHouse is needed,
 * and no live venue is ever contacted. `--paper`: the paper run (cli/src/paper/): the same
 * pipeline over live public books, fills simulated, never a real order.
 */
export async function startCommand(argv: string[]): Promise<number> {
  const { positionals, options, flags } = parseArgs(argv, { valued: PAPER_OPTIONS, flags: ['paper', 'no-demo-strategy', 'no-demo-arbitrage', 'no-demo-funding'] });
  if (positionals.length > 0) throw new UsageError(`start: unexpected argument "${positionals[0]}"; run 'crossvenue start --help'`);
  const paper = flags.has('paper');
  const stray = PAPER_OPTIONS.find((option) => options.has(option));
  if (!paper && stray) throw new UsageError(`start: --${stray} is for paper trading; add --paper`);
  for (const demo of ['no-demo-arbitrage', 'no-demo-funding']) {
    if (paper && flags.has(demo)) throw new UsageError(`start: --${demo} is for the embedded run; a paper run has no demo arbitrage`);
  }
  const strategy = !flags.has('no-demo-strategy');
  // Checked before anything starts: a paper run with credentials set is refused in one line.
  const paperRun = paper ? paperSettings({ venues: options.get('venues'), symbols: options.get('symbols'), latency: options.get('latency'), balances: options.get('balances'), strategy }, process.env) : undefined;

  const logger = createLogger(paper ? 'paper' : 'embedded');
  const port = settings.port('GATEWAY_PORT', 8080);
  // A local admin key for this run, unless keys are configured; it is printed once, never logged.
  const local = process.env.CROSSVENUE_API_KEYS || process.env.CROSSVENUE_SECRETS_FILE ? undefined : localApiKey('admin');
  const localKey = local?.key;
  const keys = local?.keys ?? ApiKeys.fromEnvironment();

  const run = paperRun
    ? await startPaperRun({ settings: paperRun, gatewayPort: port, keys, logger })
    : await startEmbeddedRun({ gatewayPort: port, keys, logger, demo: { strategy, arbitrage: !flags.has('no-demo-arbitrage'), funding: !flags.has('no-demo-funding') }, backtests: backtestsFolder() });
  const { gatewayUrl } = run;
  const dashboard = localKey ? `${gatewayUrl}/#key=${localKey}` : `${gatewayUrl}/`;
  const keyLine = localKey ? `  API key:   ${localKey} (admin, this run only; send it as X-API-Key)` : '  API keys:  from CROSSVENUE_API_KEYS / CROSSVENUE_SECRETS_FILE';
  const title = paperRun
    ? `Crossvenue PAPER TRADING run is up: live public books of ${paperRun.venues.map((venue) => venue.kind).join(', ')}, simulated fills, no real order is ever sent.\n  portfolio: paper (${paperRun.symbols.join(', ')})`
    : 'Crossvenue embedded run is up.';
  console.log(`\n${title}\n  dashboard: ${dashboard}\n  API:       ${gatewayUrl}/openapi.json\n${keyLine}\nCtrl-C stops it.\n`);
  const signal = await untilSignal();
  logger.info(`${signal}: stopping`);
  await run.stop();
  logger.info('stopped');
  return 0;
}
