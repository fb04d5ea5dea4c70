import { randomUUID } from 'node:crypto';
import { parseSymbol, TOPICS, type BalanceSnapshot, type FundingPayment, type VenueSnapshot } from '@crossvenue/schemas';
import type { ConnectorContext } from './ConnectorContext.ts';
import { errorMessage } from './failureKind.ts';
import { orderEvidence } from './orderEvidence.ts';
import { balancesOf, balanceSnapshotOf, fundingPaymentOf, venueOrderOf, venueTradeOf } from './toMessages.ts';
import { venuePositionOf } from './venuePositionOf.ts';

/** The derivatives among the connector's instruments (BASE/QUOTE:SETTLE): those with positions and funding. */
function derivativesOf(instruments: readonly string[]): string[] {
  return instruments.filter((instrument) => parseSymbol(instrument).settle !== undefined);
}

/**
 * What the venue says the account has, over REST, for the reconciler (the venue wins): open
 * orders, every balance, the positions in its derivatives instruments (BASE/QUOTE:SETTLE; none on
 * spot) with the venue's leverage, margin and liquidation price, and every trade since `now - tradesWindowMs`, so a fill we never received shows up there.
 * The reconciler takes a derivative missing from `positions` for a flat one, so a snapshot whose
 * positions cannot be fetched is not published at all.
 */
export async function fetchVenueSnapshot(context: ConnectorContext, tradesWindowMs: number): Promise<VenueSnapshot> {
  const { exchange, health, instruments } = context;
  const tradesSinceMs = context.now() - tradesWindowMs;
  const snapshot: VenueSnapshot = {
    eventId: randomUUID(),
    venue: context.venue,
    account: context.account,
    portfolio: context.portfolio,
    openOrders: [],
    balances: balancesOf(await health.measure(() => exchange.fetchBalance())),
    positions: [],
    trades: [],
    tradesSinceMs,
    venueTimeMs: null,
    receivedAtMs: 0,
  };
  for (const instrument of instruments) {
    const open = await health.measure(() => exchange.fetchOpenOrders(instrument));
    const market = exchange.market(instrument);
    snapshot.openOrders.push(...open.map((order) => venueOrderOf(context.capabilities, order, orderEvidence(order, context.capabilities).rawVenueStatus, market)));
    const trades = await health.measure(() => exchange.fetchMyTrades(instrument, tradesSinceMs));
    snapshot.trades.push(...trades.map((trade) => venueTradeOf(context, trade)));
  }
  const derivatives = derivativesOf(instruments);
  if (derivatives.length > 0) {
    const positions = await health.measure(() => exchange.fetchPositions(derivatives, context.capabilities.positionParams));
    snapshot.positions = positions
      .filter((position) => derivatives.includes(position.symbol ?? '') && (position.contracts ?? 0) !== 0)
      .map((position) => venuePositionOf(position, exchange.market(position.symbol)));
  }
  snapshot.receivedAtMs = context.now();
  return snapshot;
}

/**
 * The funding the venue settled on the account's derivatives instruments since `sinceMs`, as the
 * venue lists it (ccxt fetchFundingHistory; Binance USD-M income FUNDING_FEE). Listed again on
 * every snapshot: positions fold each payment once, by its venue id.
 */
export async function fetchFundingPayments(context: ConnectorContext, sinceMs: number): Promise<FundingPayment[]> {
  const { exchange, health, instruments } = context;
  const payments: FundingPayment[] = [];
  for (const instrument of derivativesOf(instruments)) {
    const history = await health.measure(() => exchange.fetchFundingHistory(instrument, sinceMs));
    payments.push(...history.map((payment) => fundingPaymentOf(context, payment)));
  }
  return payments;
}

/** Every balance of the account over REST, as PositionsWorker folds it into `state.balances`. */
export async function fetchBalanceSnapshot(context: ConnectorContext): Promise<BalanceSnapshot> {
  const balances = balancesOf(await context.health.measure(() => context.exchange.fetchBalance()));
  return balanceSnapshotOf(context, balances, context.now());
}

/**
 * Publishes a venue snapshot every `intervalMs`, the balances it fetched as a BalanceSnapshot
 * (positions and the dashboard), and the funding settled on its derivatives in the same window; a
 * failed fetch is logged and counted, the next one tries again.
 */
export class VenueSnapshots {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly context: ConnectorContext,
    private readonly options: { intervalMs: number; tradesWindowMs: number },
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      // A slow venue must not stack snapshots up: the next one starts after this one ended.
      this.running ??= this.publishOne().finally(() => (this.running = undefined));
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async publishOne(): Promise<void> {
    try {
      const snapshot = await fetchVenueSnapshot(this.context, this.options.tradesWindowMs);
      await this.context.messages.publish(TOPICS.venueSnapshots, [snapshot]);
      await this.context.messages.publish(TOPICS.balanceSnapshots, [balanceSnapshotOf(this.context, snapshot.balances, snapshot.receivedAtMs)]);
      const funding = await fetchFundingPayments(this.context, snapshot.tradesSinceMs);
      if (funding.length > 0) await this.context.messages.publish(TOPICS.fundingPayments, funding);
    } catch (error) {
      this.context.logger.warn({ err: errorMessage(error) }, 'venue snapshot failed; the next interval tries again');
    }
  }

  /** The balances alone, at start: positions and the dashboard need not wait for the first venue snapshot. */
  async publishBalances(): Promise<void> {
    try {
      await this.context.messages.publish(TOPICS.balanceSnapshots, [await fetchBalanceSnapshot(this.context)]);
    } catch (error) {
      this.context.logger.warn({ err: errorMessage(error) }, 'balances at start failed; the first venue snapshot brings them');
    }
  }
}
