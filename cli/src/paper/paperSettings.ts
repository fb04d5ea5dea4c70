import { CREDENTIAL_FIELDS, CREDENTIALS, isNativeVenue, NATIVE_VENUES, venueSymbolOf, type NativeVenue } from '@crossvenue/connectors';
import { settings, SettingError } from '@crossvenue/runtime';
import { parseDecimal, parseSymbol, type Decimal } from '@crossvenue/schemas';
import { UsageError } from '../args.ts';
import { DEMO_STRATEGY_SETTINGS } from '../embedded/demoStrategy.ts';

/** One paper venue: the live venue whose public books it follows, and how late our orders reach it. */
export interface PaperVenueSettings {
  kind: NativeVenue;
  /** Overrides of the live venue's public endpoints (a capture server, a simulator); the live ones when absent. */
  restUrl?: string;
  wsUrl?: string;
  /** Ms until an order or a cancel reaches the paper venue. */
  latencyMs: number;
}

export interface PaperSettings {
  venues: PaperVenueSettings[];
  /** Unified spot symbols, followed and traded on every paper venue. */
  symbols: string[];
  /** What each paper account holds at start, per asset. */
  balances: ReadonlyMap<string, Decimal>;
  strategy: boolean;
}

export const DEFAULT_PAPER_VENUES = ['binance', 'okx'] as const;
export const DEFAULT_PAPER_SYMBOLS = ['BTC/USDT'] as const;
export const DEFAULT_PAPER_LATENCY_MS = 20;
export const DEFAULT_PAPER_BALANCES = 'USDT=1000000,BTC=10,ETH=100';

/** The adapters that read a REST endpoint (Binance's depth snapshot); the others are WebSocket only. */
const USES_REST: ReadonlySet<NativeVenue> = new Set(['binance']);

/** `<VENUE>_WS_URL` / `<VENUE>_REST_URL`: one pair per venue, as a paper run follows several. */
export const urlSetting = (kind: NativeVenue, which: 'WS' | 'REST') => `${kind.toUpperCase()}_${which}_URL`;

export interface PaperArgs {
  venues?: string;
  symbols?: string;
  latency?: string;
  balances?: string;
  strategy: boolean;
}

type Env = Record<string, string | undefined>;

/**
 * The paper run's settings from the command line and the environment, every one checked here so
 * that a bad one is one line before anything starts. Venue credentials in the environment are
 * refused outright: paper trading never signs anything, and a credential there means the operator
 * may think this run trades for real.
 */
export function paperSettings(args: PaperArgs, env: Env): PaperSettings {
  const credentials = [...CREDENTIAL_FIELDS.map((field) => CREDENTIALS[field].env), 'CROSSVENUE_SECRETS_FILE'].filter((name) => env[name]?.trim());
  if (credentials.length > 0) {
    throw new UsageError(`start --paper: refusing to run with venue credentials set (${credentials.join(', ')}); paper trading never sends an order and needs none, unset them`);
  }
  for (const generic of ['VENUE_WS_URL', 'VENUE_REST_URL']) {
    if (env[generic]?.trim()) throw new UsageError(`start --paper: ${generic} names no venue; set <VENUE>_${generic.slice(6)} per venue (e.g. ${urlSetting('okx', generic.includes('WS') ? 'WS' : 'REST')})`);
  }

  const kinds = list(args.venues, DEFAULT_PAPER_VENUES, '--venues').map((kind) => {
    if (!isNativeVenue(kind)) throw new UsageError(`--venues ${kind}: expected some of ${NATIVE_VENUES.filter((v) => v !== 'binanceusdm').join(', ')}`);
    if (kind === 'binanceusdm') throw new UsageError('--venues binanceusdm: paper trading is spot only (balances, no margin), and binanceusdm serves perpetuals');
    return kind;
  });
  const symbols = list(args.symbols, DEFAULT_PAPER_SYMBOLS, '--symbols');
  for (const symbol of symbols) {
    const parts = oneLine('--symbols', () => parseSymbol(symbol));
    if (parts.settle !== undefined || parts.expiry !== undefined) throw new UsageError(`--symbols ${symbol}: paper trading is spot only, written BASE/QUOTE`);
    for (const kind of kinds) oneLine(`--symbols ${symbol}`, () => venueSymbolOf(kind, symbol));
  }
  const traded = DEMO_STRATEGY_SETTINGS.instrument;
  if (args.strategy && !symbols.includes(traded)) throw new UsageError(`--symbols: the demo strategy trades ${traded}; include it, or add --no-demo-strategy`);

  const latency = perVenue(args.latency, '--latency', kinds, (value) => (/^\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : 'expected whole ms, e.g. okx=30'));
  for (const name of Object.keys(env)) {
    const match = /^([A-Z]+)_(WS|REST)_URL$/.exec(name);
    const kind = match?.[1]?.toLowerCase();
    if (match && kind !== 'venue' && isNativeVenue(kind ?? '') && env[name]?.trim() && !(kinds as readonly string[]).includes(kind!)) {
      throw new UsageError(`start --paper: ${name} is set but ${kind} is not among the paper venues (${kinds.join(', ')})`);
    }
  }
  const venues = kinds.map((kind): PaperVenueSettings => {
    const ws = env[urlSetting(kind, 'WS')]?.trim();
    if (ws && !/^wss?:\/\/[^/]/.test(ws)) throw new UsageError(`${urlSetting(kind, 'WS')}: expected a ws(s) URL such as ws://127.0.0.1:8101, got ${JSON.stringify(ws)}`);
    const rest = env[urlSetting(kind, 'REST')]?.trim();
    if (rest && !USES_REST.has(kind)) throw new UsageError(`${urlSetting(kind, 'REST')}: the ${kind} book adapter reads no REST endpoint (only ${urlSetting(kind, 'WS')})`);
    let restUrl: string | undefined;
    try {
      restUrl = rest ? settings.httpUrl(urlSetting(kind, 'REST'), '', env) : undefined;
    } catch (error) {
      if (error instanceof SettingError) throw new UsageError(error.message);
      throw error;
    }
    return { kind, wsUrl: ws?.replace(/\/+$/, ''), restUrl, latencyMs: latency.get(kind) ?? DEFAULT_PAPER_LATENCY_MS };
  });

  const balances = new Map<string, Decimal>();
  for (const part of (args.balances ?? DEFAULT_PAPER_BALANCES).split(',')) {
    const [asset, amount] = part.split('=', 2).map((word) => word.trim());
    if (!asset || !/^[A-Z0-9]+$/.test(asset) || amount === undefined) throw new UsageError(`--balances ${part}: expected ASSET=AMOUNT, e.g. USDT=1000000`);
    const value = oneLine(`--balances ${part}`, () => parseDecimal(amount, asset));
    if (value.lt(0)) throw new UsageError(`--balances ${part}: a balance cannot be negative`);
    balances.set(asset, value);
  }
  return { venues, symbols, balances, strategy: args.strategy };
}

/** A comma-separated list, its default when absent; duplicates refused. */
function list(raw: string | undefined, fallback: readonly string[], flag: string): string[] {
  const items = raw === undefined ? [...fallback] : raw.split(',').map((item) => item.trim());
  if (items.length === 0 || items.some((item) => !item)) throw new UsageError(`${flag} ${raw}: expected a comma-separated list`);
  const duplicate = items.find((item, i) => items.indexOf(item) !== i);
  if (duplicate) throw new UsageError(`${flag}: ${duplicate} given twice`);
  return items;
}

/** `venue=value,…` against the paper venues. */
function perVenue<T>(raw: string | undefined, flag: string, venues: readonly string[], parse: (value: string) => T | string): Map<string, T> {
  const parsed = new Map<string, T>();
  for (const part of raw?.split(',') ?? []) {
    const [venue, value] = part.split('=', 2).map((word) => word.trim());
    if (!venue || !value) throw new UsageError(`${flag} ${part}: expected VENUE=VALUE`);
    if (!venues.includes(venue)) throw new UsageError(`${flag} ${part}: ${venue} is not among the paper venues (${venues.join(', ')})`);
    const result = parse(value);
    if (typeof result === 'string') throw new UsageError(`${flag} ${part}: ${result}`);
    parsed.set(venue, result);
  }
  return parsed;
}

/** Runs a check that throws (InvalidInputError, an adapter's symbol error), as a one-line usage error. */
function oneLine<T>(flag: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}
