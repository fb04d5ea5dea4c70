import { Decimal, formatDecimal, parseDecimal, parseSymbol, TOPICS, type BalanceSnapshot, type Fill } from '@crossvenue/schemas';
import type { Consumer, Logger, MessageBus } from '@crossvenue/runtime';

export interface PaperAccountOptions {
  venue: string;
  account: string;
  portfolio: string;
  /** What the account holds at start, per asset. */
  balances: ReadonlyMap<string, Decimal>;
  messages: MessageBus;
  logger: Logger;
  clock: () => number;
}

/**
 * The balances of one paper account, as a venue account's would move: they start at the
 * configured amounts, and each of the account's fills moves base and quote (a buy adds the base
 * and pays notional plus fee in the quote; a sell the other way round). Each fill is applied once
 * (by venue trade id), and after each batch the account publishes a complete BalanceSnapshot, as
 * a connector does from the venue's balances: the positions worker folds it into `state.balances`,
 * the router sizes orders to it, the gateway shows it. Nothing is locked by open orders.
 */
export class PaperAccount {
  private readonly balances: Map<string, Decimal>;
  private readonly applied = new Set<string>();
  private consumer: Consumer | undefined;
  private snapshots = 0;

  constructor(private readonly options: PaperAccountOptions) {
    this.balances = new Map(options.balances);
  }

  async start(): Promise<void> {
    const { messages, venue, account } = this.options;
    await this.publish();
    this.consumer = await messages.subscribe({
      groupId: `paper-account-${venue}-${account}`,
      topics: [TOPICS.fills],
      fromBeginning: true,
      handle: async (batch) => {
        const fresh = batch.map(({ value }) => value).filter((fill) => fill.venue === venue && fill.account === account && !this.applied.has(fill.venueTradeId));
        if (fresh.length === 0) return;
        for (const fill of fresh) this.apply(fill);
        await this.publish();
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }

  private apply(fill: Fill): void {
    const { base, quote } = parseSymbol(fill.instrument);
    const quantity = parseDecimal(fill.quantity, `fill ${fill.eventId} quantity`);
    const notional = parseDecimal(fill.price, `fill ${fill.eventId} price`).times(quantity);
    const sign = fill.side === 'BUY' ? 1 : -1;
    this.add(base, quantity.times(sign));
    this.add(quote, notional.times(-sign));
    this.add(fill.feeCurrency, parseDecimal(fill.fee, `fill ${fill.eventId} fee`).negated());
    this.applied.add(fill.venueTradeId);
    if ([...this.balances.values()].some((amount) => amount.lt(0))) {
      this.options.logger.warn({ venue: fill.venue, account: fill.account, tradeId: fill.venueTradeId }, 'a paper balance went negative: the fill was larger than the account held');
    }
  }

  private add(asset: string, amount: Decimal): void {
    this.balances.set(asset, (this.balances.get(asset) ?? new Decimal(0)).plus(amount));
  }

  private async publish(): Promise<void> {
    const { venue, account, portfolio, clock } = this.options;
    const snapshot: BalanceSnapshot = {
      eventId: `${venue}:${account}:balances:${this.snapshots++}`,
      venue,
      account,
      portfolio,
      complete: true,
      balances: [...this.balances].map(([asset, total]) => ({ asset, free: formatDecimal(total), locked: '0', total: formatDecimal(total) })),
      venueTimeMs: null,
      receivedAtMs: clock(),
    };
    await this.options.messages.publish(TOPICS.balanceSnapshots, [snapshot]);
  }
}
