import { createLogger } from '@crossvenue/runtime';
import { parseArgs, UsageError } from '../args.ts';
import { ALL_DEMO_VENUES, DEMO_SYMBOLS, DEMO_VENUES, describeVenues, KNOWN_SYMBOLS, startVenues, type VenuePlan } from '../demoVenues.ts';
import { untilSignal } from '../untilSignal.ts';

export const HELP = `usage: crossvenue sim [--venues binance,bybit,okx,binanceusdm] [--symbols BTC/USDT,ETH/USDT] [--fees <maker>:<taker>]
                     [--port <first port>] [--seed N] [--still] [--json]

Simulated venues on 127.0.0.1 with a real matching engine, speaking the REST and WebSocket dialect
of Binance spot, Bybit v5 spot, OKX v5 spot or Binance USD-M perpetuals (binanceusdm: the symbols
as linear perpetuals, BTC/USDT:USDT, margined in USDT, funding every 8 hours). Without --venues:
the demo set (${DEMO_VENUES.map((v) => v.name).join(', ')}).
--still turns the background order flow off. With --json the first stdout line is one JSON object
with each venue's dialect, URLs, symbols and API credentials (test credentials; an OKX key's
passphrase too). Faults: POST <restUrl>/__admin/faults.
Runs until Ctrl-C.`;

/** `crossvenue sim`: simulated venues for connectors, ccxt clients and tests. */
export async function simCommand(argv: string[]): Promise<number> {
  const { positionals, flags, options } = parseArgs(argv, { valued: ['venues', 'symbols', 'fees', 'port', 'seed'], flags: ['json', 'still'] });
  if (positionals.length > 0) throw new UsageError(`sim: unexpected argument "${positionals[0]}"`);

  const plans = venuePlans(options.get('venues'), options.get('fees'));
  const symbols = symbolList(options.get('symbols'));
  const port = integer(options.get('port'), '--port', 0, 0, 65_535 - plans.length);
  const seed = integer(options.get('seed'), '--seed', 1, 0, 2 ** 31);
  const running = await startVenues(plans, { symbols, seed, flow: !flags.has('still') }, port);

  const description = describeVenues(running, symbols);
  if (flags.has('json')) console.log(JSON.stringify(description));
  else {
    for (const venue of description.venues) console.log(`${venue.name.padEnd(16)} ${venue.dialect.padEnd(12)} ${venue.restUrl}  ${venue.wsUrl}  key ${venue.accounts[0]?.apiKey ?? '-'}`);
    console.log('secrets: --json prints them. Ctrl-C stops.');
  }
  const signal = await untilSignal();
  createLogger('sim').info(`${signal}: stopping`);
  await running.stop();
  return 0;
}

/** The dialects `--venues` takes, each with the demo venue it is modelled on. */
const DIALECTS = ['binance', 'bybit', 'okx', 'binanceusdm'] as const;

/** `--venues binance,bybit`: one venue per dialect named; a repeated dialect gets -a, -b suffixes. */
function venuePlans(venues: string | undefined, fees: string | undefined): VenuePlan[] {
  let plans: VenuePlan[] = [...DEMO_VENUES];
  if (venues !== undefined) {
    const dialects = venues.split(',').map((d) => d.trim());
    const bad = dialects.find((d) => !(DIALECTS as readonly string[]).includes(d));
    if (bad !== undefined || dialects.length === 0) throw new UsageError(`--venues: "${bad ?? ''}" is not a dialect; use some of ${DIALECTS.join(', ')}, e.g. --venues binance,okx`);
    plans = dialects.map((dialect, index) => {
      const repeated = dialects.filter((d) => d === dialect).length > 1;
      const suffix = repeated ? `-${String.fromCharCode(97 + dialects.slice(0, index).filter((d) => d === dialect).length)}` : '';
      const template = ALL_DEMO_VENUES.find((plan) => plan.dialect === dialect)!;
      return { ...template, name: `sim-${dialect}${suffix}`, dialect: dialect as VenuePlan['dialect'] };
    });
  }
  if (fees === undefined) return plans;
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(fees);
  if (!match || Number(match[1]) >= 1 || Number(match[2]) >= 1) throw new UsageError(`--fees: "${fees}" must be <maker>:<taker> rates below 1, e.g. 0.001:0.002`);
  return plans.map((plan) => ({ ...plan, fees: { maker: match[1]!, taker: match[2]! } }));
}

function symbolList(raw: string | undefined): string[] {
  if (raw === undefined) return DEMO_SYMBOLS;
  const symbols = raw.split(',').map((s) => s.trim().toUpperCase());
  const bad = symbols.find((s) => !KNOWN_SYMBOLS.includes(s));
  if (bad !== undefined) throw new UsageError(`--symbols: "${bad}" is not simulated; known: ${KNOWN_SYMBOLS.join(', ')}`);
  return symbols;
}

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`${name}: "${raw}" must be a whole number from ${min} to ${max}`);
  return Number(raw);
}

/** main.ts parses before it knows which options take a value; the words after `sim` are parsed again here. */
