import { readFileSync } from 'node:fs';
import { ccxtClientFor } from '@crossvenue/connectors';
import { Decimal } from '@crossvenue/schemas';
import { SIMULATED_SECRETS, type SimulatedVenue, type VenueAccount } from './simulatedRun.ts';

/** What a venue says one account did: its orders and its trades. */
export interface VenueLedger {
  orders: VenueOrder[];
  trades: VenueTrade[];
}

/** One order of an account as its venue lists it. */
export interface VenueOrder {
  venue: string;
  account: string;
  orderId: string;
  clientOrderId: string;
  side: 'BUY' | 'SELL';
  /** What the venue executed of it, in BTC. */
  filled: Decimal;
  status: string;
  /** When the venue created it, epoch ms. */
  createdAtMs: number;
}

/** One trade (execution) of an account as its venue lists it. */
export interface VenueTrade {
  venue: string;
  account: string;
  tradeId: string;
  orderId: string;
  side: 'BUY' | 'SELL';
  quantity: Decimal;
  fee: Decimal;
  feeCurrency: string;
  /** When the venue executed it, epoch ms. */
  atMs: number;
}

/** The part of `ledger` the venue made from `sinceMs` on. */
export function ledgerSince(ledger: VenueLedger, sinceMs: number): VenueLedger {
  return { orders: ledger.orders.filter((order) => order.createdAtMs >= sinceMs), trades: ledger.trades.filter((trade) => trade.atMs >= sinceMs) };
}

/**
 * The BTC/USDT orders and trades of one account (the demo account of a venue unless its
 * credentials are given) that a simulated venue made from `sinceMs` on, from the venue's own lists
 * through ccxt, every page: Binance's allOrders and myTrades (paged by id); Bybit's open orders,
 * order history and executions (paged by cursor).
 */
export async function venueLedger(target: SimulatedVenue | VenueAccount, sinceMs: number): Promise<VenueLedger> {
  const { venue, dialect, port } = target;
  const account = 'account' in target ? target : demoAccountOf(venue);
  const exchange = ccxtClientFor({ dialect, restUrl: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}`, accounts: [account] });
  const own = { venue, account: account.account };
  // ccxt's implicit (raw) endpoint methods, which its typings leave off the base Exchange class.
  const call = async <T>(method: string, params: object) => (await (exchange as unknown as Record<string, (params: object) => Promise<unknown>>)[method]!(params)) as T;
  const upper = (side: string) => side.toUpperCase() as 'BUY' | 'SELL';
  try {
    if (dialect === 'binance') {
      // Oldest first from an id on: a full page means there may be more after its last row.
      const byId = async <T>(method: string, idParam: string, idOf: (row: T) => number) => {
        const limit = 1000;
        const rows: T[] = [];
        // From id 0: allOrders without an orderId would answer the most recent page instead.
        for (let from = 0; ; ) {
          const page = await call<T[]>(method, { symbol: 'BTCUSDT', startTime: sinceMs, limit, [idParam]: from });
          rows.push(...page);
          if (page.length < limit) return rows;
          from = idOf(page[page.length - 1]!) + 1;
        }
      };
      type BinanceOrder = { orderId: number; clientOrderId: string; side: string; executedQty: string; status: string; time: number };
      type BinanceTrade = { id: number; orderId: number; isBuyer: boolean; qty: string; commission: string; commissionAsset: string; time: number };
      const orders = await byId<BinanceOrder>('privateGetAllOrders', 'orderId', (row) => row.orderId);
      const trades = await byId<BinanceTrade>('privateGetMyTrades', 'fromId', (row) => row.id);
      return {
        orders: orders.map((row) => ({ ...own, orderId: String(row.orderId), clientOrderId: row.clientOrderId, side: upper(row.side), filled: new Decimal(row.executedQty), status: row.status, createdAtMs: row.time })),
        trades: trades.map((row) => ({
          ...own,
          tradeId: String(row.id),
          orderId: String(row.orderId),
          side: row.isBuyer ? 'BUY' : 'SELL',
          quantity: new Decimal(row.qty),
          fee: new Decimal(row.commission),
          feeCurrency: row.commissionAsset,
          atMs: row.time,
        })),
      };
    }
    const pages = async <T>(method: string) => {
      const rows: T[] = [];
      let cursor = '';
      do {
        const { result } = await call<{ result: { list: T[]; nextPageCursor: string } }>(method, { category: 'spot', symbol: 'BTCUSDT', limit: 50, ...(cursor && { cursor }) });
        rows.push(...result.list);
        cursor = result.nextPageCursor;
      } while (cursor);
      return rows;
    };
    type BybitOrder = { orderId: string; orderLinkId: string; side: string; cumExecQty: string; orderStatus: string; createdTime: string };
    const orders = [...(await pages<BybitOrder>('privateGetV5OrderRealtime')), ...(await pages<BybitOrder>('privateGetV5OrderHistory'))];
    const trades = await pages<{ execId: string; orderId: string; side: string; execQty: string; execFee: string; feeCurrency: string; execTime: string }>('privateGetV5ExecutionList');
    return ledgerSince(
      {
        orders: orders.map((row) => ({ ...own, orderId: row.orderId, clientOrderId: row.orderLinkId, side: upper(row.side), filled: new Decimal(row.cumExecQty), status: row.orderStatus, createdAtMs: Number(row.createdTime) })),
        trades: trades.map((row) => ({ ...own, tradeId: row.execId, orderId: row.orderId, side: upper(row.side), quantity: new Decimal(row.execQty), fee: new Decimal(row.execFee), feeCurrency: row.feeCurrency, atMs: Number(row.execTime) })),
      },
      sinceMs,
    );
  } finally {
    await exchange.close();
    (exchange as unknown as { httpAgent?: { destroy(): void } }).httpAgent?.destroy();
  }
}

/** A venue's demo account as config/examples/simulated.secrets.json has it. */
function demoAccountOf(venue: string): { account: string; apiKey: string; secret: string } {
  const secrets = JSON.parse(readFileSync(SIMULATED_SECRETS, 'utf8')) as {
    venueCredentials: Array<{ venue: string; account: string; apiKey: string; secret: string }>;
  };
  const account = secrets.venueCredentials.find((entry) => entry.venue === venue && entry.account === 'demo');
  if (!account) throw new Error(`simulated.secrets.json has no demo account of ${venue}`);
  return account;
}
