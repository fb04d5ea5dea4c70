import {
  CaptureFormatError,
  isNativeVenue,
  NATIVE_VENUES,
  recordBooks,
  replayBooks,
  venueSymbolOf,
  type BookEvent,
  type NativeVenue,
  type NativeVenueSettings,
} from '@crossvenue/connectors';
import { createLogger, settings } from '@crossvenue/runtime';
import { parseArgs, UsageError } from '../args.ts';

export const HELP = `usage: crossvenue md replay <capture files…> [--depth N] [--json]
       crossvenue md record --venue V --symbols S[,S…] --out FILE [--seconds N] [--depth N] [--dialect D] [--json]

replay   replays recorded venue traffic through the connectors' book synchronizers and prints one
         line per book update and per resync (--json: one JSON object each); a summary on stderr.
         Reads cryptofeed raw-data captures (Binance spot/USD-M/COIN-M, OKX v5, Bybit v5,
         Kraken spot ws v1) and the project's own recordings (recognised by their first line).
         Checked: Binance U/u and pu chains, OKX seqId and CRC32, Bybit u, Kraken CRC32.
record   connects the native market-data adapter to a venue and writes the project's recording:
         --venue    ${NATIVE_VENUES.join(', ')} (live endpoints), or a simulator's URL
                    (http://127.0.0.1:PORT; its dialect is probed, or give --dialect binance|bybit)
         --symbols  venue symbols (BTCUSDT, BTC-USDT, XBT/USD) or unified ones (BTC/USDT, BTC/USDT:USDT)
         --seconds  stop after N seconds (default: at Ctrl-C)

Recording format (crossvenue-md/1), one JSON document per line:
  {"format":"crossvenue-md/1","venue":…,"dialect":"binance|binanceusdm|okx|bybit|kraken","symbols":[…],"startedAtMs":…}
  {"kind":"ws","url":…,"receivedAtMs":…,"payload":<received frame>}
  {"kind":"rest","url":…,"receivedAtMs":…,"payload":<REST snapshot>}
in the order the adapter handled them; replaying it gives the books the adapter had.`;

/**
 * `crossvenue md replay|record`: recorded venue books through the connectors' synchronizers, and
 * recordings of a live or simulated venue through the native adapters.
 */
export async function mdCommand(argv: string[]): Promise<number> {
  const { positionals, options, flags } = parseArgs(argv, { valued: ['depth', 'venue', 'symbols', 'out', 'seconds', 'dialect'], flags: ['json'] });
  const [action, ...rest] = positionals;
  const depth = settings.positiveInteger('--depth', 5, { '--depth': options.get('depth') });
  const print = (event: BookEvent) => console.log(flags.has('json') ? JSON.stringify(event) : describe(event));
  if (action === 'replay') return replay(rest, depth, print);
  if (action === 'record') return record(options, depth, print);
  throw new UsageError(`md needs replay or record, got ${action ? `"${action}"` : 'nothing'}; run 'crossvenue md --help'`);
}

async function replay(files: string[], depth: number, print: (event: BookEvent) => void): Promise<number> {
  if (files.length === 0) throw new UsageError('md replay needs at least one capture file');
  try {
    const summary = await replayBooks(files, depth, print);
    console.error(`md replay: ${summary.payloads} payloads, ${summary.bookEvents} book events, ${summary.resyncs} resyncs`);
    return 0;
  } catch (error) {
    if (error instanceof CaptureFormatError) throw new UsageError(error.message);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`cannot read ${(error as NodeJS.ErrnoException).path}`);
    throw error;
  }
}

async function record(options: Map<string, string>, depth: number, print: (event: BookEvent) => void): Promise<number> {
  const required = (name: string) => {
    const value = options.get(name);
    if (!value) throw new UsageError(`md record needs --${name}; run 'crossvenue md --help'`);
    return value;
  };
  const out = required('out');
  const venue = await resolveVenue(required('venue'), options.get('dialect'));
  const symbols = required('symbols')
    .split(',')
    .map((symbol) => symbol.trim())
    .filter(Boolean)
    .map((symbol) => (symbol.includes('/') ? venueSymbol(venue.kind, symbol) : symbol));
  const seconds = options.has('seconds') ? settings.positiveInteger('--seconds', 1, { '--seconds': options.get('seconds') }) : undefined;
  const until = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    if (seconds !== undefined) setTimeout(resolve, seconds * 1000);
  });
  const logger = createLogger('md-record');
  const summary = await recordBooks({ ...venue, symbols, depth }, out, until, { logger, onEvent: print });
  console.error(`md record: ${out}: ${summary.frames} frames, ${summary.snapshots} REST snapshots, ${summary.bookEvents} book events, ${summary.resyncs} resyncs`);
  return 0;
}

/** A venue kind (live endpoints), or a simulator's URL whose dialect is given or probed. */
async function resolveVenue(venue: string, dialect: string | undefined): Promise<Omit<NativeVenueSettings, 'symbols' | 'depth'>> {
  if (isNativeVenue(venue)) return { kind: venue };
  let base: URL;
  try {
    base = new URL(venue);
  } catch {
    throw new UsageError(`--venue ${venue}: expected ${NATIVE_VENUES.join(', ')} or a simulator URL like http://127.0.0.1:8101`);
  }
  const restUrl = base.origin.replace(/^ws/, 'http');
  const kind = dialect ?? (await probeDialect(restUrl));
  if (kind !== 'binance' && kind !== 'bybit') throw new UsageError(`--dialect ${kind}: a simulator speaks binance or bybit`);
  return { kind, name: `sim-${kind}`, restUrl, wsUrl: restUrl.replace(/^http/, 'ws') };
}

/**
 * Which simulator dialect answers: Bybit's /v5/market/time has retCode 0 (Bybit answers HTTP 200
 * with a retCode for unknown paths too), Binance's /api/v3/ping answers {} with HTTP 200.
 */
async function probeDialect(restUrl: string): Promise<NativeVenue> {
  const answer = async (path: string) => {
    try {
      const response = await fetch(`${restUrl}${path}`);
      return { ok: response.ok, body: (await response.json()) as { retCode?: unknown } };
    } catch (error) {
      throw new UsageError(`--venue ${restUrl}: no answer to ${path} (${(error as Error).message}); give --dialect`);
    }
  };
  if ((await answer('/v5/market/time')).body.retCode === 0) return 'bybit';
  const ping = await answer('/api/v3/ping');
  if (ping.ok && ping.body.retCode === undefined) return 'binance';
  throw new UsageError(`--venue ${restUrl}: answers neither as bybit (/v5/market/time) nor as binance (/api/v3/ping); give --dialect`);
}

function venueSymbol(kind: NativeVenue, instrument: string): string {
  try {
    return venueSymbolOf(kind, instrument);
  } catch (error) {
    throw new UsageError(`--symbols: ${(error as Error).message}`);
  }
}

function describe(event: BookEvent): string {
  if (event.type === 'resync') return `${event.receivedAtMs} ${event.venue} ${event.symbol} RESYNC ${event.reason}`;
  const [bid, ask] = [event.bids[0], event.asks[0]];
  return `${event.receivedAtMs} ${event.venue} ${event.symbol} ${event.source} #${event.sequence ?? '-'} bid ${bid?.join(' x ') ?? '-'} ask ${ask?.join(' x ') ?? '-'}`;
}
