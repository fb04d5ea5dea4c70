import {
  CCXT_CONNECTOR_TOPICS,
  CcxtConnector,
  createCcxtClient,
  venueCredentials,
  type CcxtConnectorOptions,
} from '@crossvenue/connectors';
import { SettingError, settings } from '@crossvenue/runtime';
import type { WorkerDefinition } from './WorkerDefinition.ts';

type Env = Record<string, string | undefined>;

export const ccxtConnectorWorker: WorkerDefinition = {
  name: 'ccxt-connector',
  description: 'one venue account through ccxt: order commands in; order events, fills, venue snapshots and venue health out; its account\'s leverage set when control.commands asks (a configuration change of leverage.<instrument>, the outcome on ops.alerts); with SYMBOLS also symbol metadata, books, trades and funding rates',
  settings: [
    'VENUE_ID (required: the ccxt id: binance, binanceusdm, okx, bybit, coinbase, kraken or hyperliquid)',
    'VENUE_NAME (default VENUE_ID: the venue field of commands and events)',
    'ACCOUNT (required: our id of the venue account it trades, e.g. main; the account field of commands, events, fills and snapshots, and with the venue it picks the credentials)',
    'PORTFOLIO (required)',
    'VENUE_API_KEY + VENUE_API_SECRET (+ VENUE_API_PASSPHRASE for okx; VENUE_WALLET_ADDRESS + VENUE_PRIVATE_KEY instead for hyperliquid), or CROSSVENUE_SECRETS_FILE {"venueCredentials":[{venue,account,apiKey,secret,passphrase?,walletAddress?,privateKey?}]} (required, never logged)',
    'VENUE_REST_URL + VENUE_WS_URL (a simulated venue, e.g. http://127.0.0.1:18090 and ws://127.0.0.1:18090)',
    'VENUE_SANDBOX (true: the venue\'s testnet through ccxt\'s sandbox mode; never with VENUE_REST_URL; default false)',
    'INSTRUMENTS (default BTC/USDT,ETH/USDT)',
    'SNAPSHOT_INTERVAL_MS (default 30000)',
    'HEALTH_INTERVAL_MS (default 5000)',
    'SYMBOLS (unified symbols, e.g. BTC/USDT,BTC/USDT:USDT; turns market data on: symbol metadata, books, trades, funding rates of swaps; unset, it publishes no books and warns at start)',
    'BOOK_INTERVAL_MS (default 100: at most one book snapshot per symbol per interval)',
    'BOOK_DEPTH (default 20 levels per side)',
    'SYMBOLS_REFRESH_MS (default 3600000: markets reloaded, metadata republished)',
    'FUNDING_POLL_MS (default 60000, where the venue has no funding stream)',
  ],
  topics: CCXT_CONNECTOR_TOPICS,
  async start({ messages, logger, env, metrics }) {
    const ccxtId = required(env, 'VENUE_ID', 'a ccxt exchange id such as binance');
    const venue = env.VENUE_NAME?.trim() || ccxtId;
    const account = required(env, 'ACCOUNT', 'the account id');
    const credentials = venueCredentials(venue, account, env);
    const marketData = marketDataSettings(env);
    if (!marketData) {
      logger.warn(
        { venue, account },
        `SYMBOLS is not set: ${venue}/${account} publishes no books, trades, symbol metadata or funding rates, so the router sees no book of ${venue} unless another worker (native-books) publishes it; set SYMBOLS, e.g. SYMBOLS=BTC/USDT,ETH/USDT`,
      );
    }
    const connector = new CcxtConnector({
      exchange: createCcxtClient({ ccxtId, account, credentials, simulated: simulatedUrls(env), sandbox: sandboxMode(env) }),
      venue,
      account,
      portfolio: required(env, 'PORTFOLIO', 'the portfolio the account belongs to'),
      instruments: (env.INSTRUMENTS ?? 'BTC/USDT,ETH/USDT').split(',').map((s) => s.trim()).filter(Boolean),
      messages,
      logger,
      snapshotIntervalMs: settings.positiveInteger('SNAPSHOT_INTERVAL_MS', 30_000, env),
      healthIntervalMs: settings.positiveInteger('HEALTH_INTERVAL_MS', 5_000, env),
      marketData,
      metrics: metrics.venueOrders(venue, account),
    });
    metrics.watchBookStaleness(venue, () => connector.bookStalenessMs());
    await connector.start();
    logger.info({ venue, account, ccxtId }, `ccxt connector for ${venue}/${account} running`);
    return connector;
  },
};

/** The market-data side, on when SYMBOLS lists at least one symbol. */
function marketDataSettings(env: Env): CcxtConnectorOptions['marketData'] {
  const symbols = (env.SYMBOLS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (symbols.length === 0) return undefined;
  return {
    symbols,
    bookIntervalMs: settings.positiveInteger('BOOK_INTERVAL_MS', 100, env),
    bookDepth: settings.positiveInteger('BOOK_DEPTH', 20, env),
    symbolsRefreshMs: settings.positiveInteger('SYMBOLS_REFRESH_MS', 3_600_000, env),
    fundingPollMs: settings.positiveInteger('FUNDING_POLL_MS', 60_000, env),
  };
}

function required(env: Env, key: string, expected: string): string {
  const value = env[key]?.trim();
  if (!value) throw new SettingError(key, expected, '');
  return value;
}

function sandboxMode(env: Env): boolean {
  const raw = env.VENUE_SANDBOX?.trim() ?? '';
  if (raw !== '' && raw !== 'true' && raw !== 'false') throw new SettingError('VENUE_SANDBOX', 'true or false', raw);
  return raw === 'true';
}

function simulatedUrls(env: Env): { restUrl: string; wsUrl: string } | undefined {
  const restUrl = settings.httpUrl('VENUE_REST_URL', '', env);
  const wsUrl = env.VENUE_WS_URL?.trim().replace(/\/+$/, '') ?? '';
  if (!restUrl && !wsUrl) return undefined;
  if (!restUrl || !/^wss?:\/\//.test(wsUrl)) throw new SettingError(restUrl ? 'VENUE_WS_URL' : 'VENUE_REST_URL', 'VENUE_REST_URL (http) and VENUE_WS_URL (ws) together', restUrl ? wsUrl : '');
  return { restUrl, wsUrl };
}
