import { Decimal, formatDecimal, TOPICS, type Fill, type Intent, type OrderCommand, type OrderEvent, type Position, type RiskDecision, type RouteDecision } from '@crossvenue/schemas';
import type { Consumer, MessageBus } from '@crossvenue/runtime';
import type { RecordedLevel } from '@crossvenue/simulator';
import type { RecordedInstrument } from './RecordedMarket.ts';

const ZERO = new Decimal(0);
const BPS = new Decimal(10_000);
/** At most this many PnL and position samples are kept (evenly thinned), so a long run's report stays small. */
const MAX_SAMPLES = 2_000;
/** One sample per this much simulated time at most. */
const SAMPLE_EVERY_MS = 1_000;

/** One fill as the report lists it, with what the checks need: the order's limit and the execution time. */
export interface ReportedFill {
  atMs: number;
  venue: string;
  instrument: string;
  side: 'BUY' | 'SELL';
  price: string;
  quantity: string;
  fee: string;
  liquidity: 'MAKER' | 'TAKER';
  limitPrice: string | null;
  intentId: string | null;
}

export interface VenueRow {
  venue: string;
  instrument: string;
  fills: number;
  /** In the base currency (or contracts). */
  volume: string;
  /** In the quote currency. */
  notional: string;
  fees: string;
  feeCurrency: string;
  /** Quantity-weighted, against the router's arrival mid (best mid across venues when it routed the intent); positive is worse. */
  averageSlippageBps: string | null;
  /** From the order's send to the venue's first answer, in ms of simulated time. */
  averageAckLatencyMs: number | null;
}

export interface Sample {
  atMs: number;
  /** Marked to each venue's mid, less fees, per quote currency. */
  pnl: Record<string, string>;
  /** Net position per instrument across venues. */
  positions: Record<string, string>;
}

export interface RecordedOutcome {
  venues: VenueRow[];
  samples: Sample[];
  final: {
    pnl: Record<string, string>;
    /** |position| × mid per quote currency. */
    exposure: Record<string, string>;
    /** As the positions worker published them (state.positions). */
    positions: Array<Pick<Position, 'venue' | 'instrument' | 'quantity' | 'averageEntryPrice' | 'realizedPnl' | 'quoteCurrency' | 'fees'>>;
  };
  /** Rejects: orders the venues rejected; riskRejects: what risk refused; unrouted: PLACE intents the router found no venue for. */
  counts: { intents: number; unrouted: number; orders: number; fills: number; canceled: number; rejects: number; riskRejects: number };
  fills: ReportedFill[];
}

interface Holding {
  venue: string;
  instrument: string;
  quote: string;
  quantity: Decimal;
  /** Quote spent (negative) and received. */
  cash: Decimal;
  fees: Decimal;
  volume: Decimal;
  notional: Decimal;
  fills: number;
  slippageWeighted: Decimal;
  slippageQuantity: Decimal;
  acks: number[];
}

/**
 * Watches a backtest's bus and keeps what the report needs: every intent and its route decision
 * (with the router's arrival mid), order and fill, the risk rejections, the positions the
 * positions worker published; and, told each recorded book by the run, marks the holdings to each
 * venue's mid.
 */
export class BacktestRecorder {
  private consumer: Consumer | undefined;
  /** Each venue's best bid and ask as recorded: their mid is made only when a sample marks to it, not on every book. */
  private readonly touches = new Map<string, { bid: string; ask: string }>();
  private readonly midAtIntent = new Map<string, Decimal | null>();
  private readonly limitOf = new Map<string, string | null>();
  private readonly sentAt = new Map<string, number>();
  private readonly holdings = new Map<string, Holding>();
  private readonly positions = new Map<string, Position>();
  private readonly quoteOf: Map<string, string>;
  private readonly fills: ReportedFill[] = [];
  private samples: Sample[] = [];
  private lastSampleMs = Number.NEGATIVE_INFINITY;
  private readonly counts = { intents: 0, unrouted: 0, orders: 0, fills: 0, canceled: 0, rejects: 0, riskRejects: 0 };

  constructor(
    private readonly messages: MessageBus,
    instruments: readonly RecordedInstrument[],
    private readonly clock: () => number,
  ) {
    this.quoteOf = new Map(instruments.map((instrument) => [key(instrument.venue, instrument.instrument), instrument.quote]));
  }

  async start(): Promise<void> {
    // One consumer for all: fewer members for the in-process bus to wake on every append. Each
    // step of the run settles before the next, so an intent's route decision and order command
    // are seen before its fills.
    const handlers: Record<string, (value: never) => void> = {
      [TOPICS.intents.name]: (intent: Intent) => this.onIntent(intent),
      [TOPICS.routeDecisions.name]: (decision: RouteDecision) => this.onRouteDecision(decision),
      [TOPICS.orderCommands.name]: (command: OrderCommand) => this.onCommand(command),
      [TOPICS.orderEvents.name]: (event: OrderEvent) => this.onOrderEvent(event),
      [TOPICS.fills.name]: (fill: Fill) => this.onFill(fill),
      [TOPICS.riskDecisions.name]: (decision: RiskDecision) => decision.decision === 'REJECTED' && this.counts.riskRejects++,
      [TOPICS.positions.name]: (position: Position) => this.positions.set(key(position.venue, position.instrument), position),
    };
    this.consumer = await this.messages.subscribe({
      groupId: 'backtest-report',
      topics: [TOPICS.intents, TOPICS.routeDecisions, TOPICS.orderCommands, TOPICS.orderEvents, TOPICS.fills, TOPICS.riskDecisions, TOPICS.positions],
      fromBeginning: true,
      handle: async (batch) => {
        for (const { topic, value } of batch) handlers[topic]!(value as never);
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
  }
  /** A recorded book: the venue's mid for marking; a sample when one is due. */
  onBook(venue: string, instrument: string, bids: readonly RecordedLevel[], asks: readonly RecordedLevel[], atMs: number): void {
    const [bid, ask] = [bids[0], asks[0]];
    if (bid && ask) this.touches.set(key(venue, instrument), { bid: bid[0], ask: ask[0] });
    if (atMs - this.lastSampleMs >= SAMPLE_EVERY_MS) this.sample(atMs);
  }

  outcome(): RecordedOutcome {
    this.sample(this.clock());
    const marked = this.marked();
    const step = Math.ceil(this.samples.length / MAX_SAMPLES);
    return {
      venues: [...this.holdings.values()].map((holding) => ({
        venue: holding.venue,
        instrument: holding.instrument,
        fills: holding.fills,
        volume: formatDecimal(holding.volume),
        notional: formatDecimal(holding.notional),
        fees: formatDecimal(holding.fees),
        feeCurrency: holding.quote,
        averageSlippageBps: holding.slippageQuantity.gt(0) ? formatDecimal(holding.slippageWeighted.dividedBy(holding.slippageQuantity).toDecimalPlaces(4)) : null,
        averageAckLatencyMs: holding.acks.length > 0 ? holding.acks.reduce((a, b) => a + b, 0) / holding.acks.length : null,
      })),
      samples: this.samples.filter((_, i) => i % step === 0 || i === this.samples.length - 1),
      final: {
        pnl: marked.pnl,
        exposure: marked.exposure,
        positions: [...this.positions.values()].map(({ venue, instrument, quantity, averageEntryPrice, realizedPnl, quoteCurrency, fees }) => ({
          venue,
          instrument,
          quantity,
          averageEntryPrice,
          realizedPnl,
          quoteCurrency,
          fees,
        })),
      },
      counts: { ...this.counts },
      fills: this.fills,
    };
  }

  private onIntent(intent: Intent): void {
    if (intent.action === 'PLACE') this.counts.intents++;
  }

  private onRouteDecision(decision: RouteDecision): void {
    if (decision.intent?.action !== 'PLACE') return;
    this.midAtIntent.set(decision.intent.intentId, decision.arrivalMid === null ? null : new Decimal(decision.arrivalMid));
    if (decision.legs.length === 0) this.counts.unrouted++;
  }

  private onCommand(command: OrderCommand): void {
    if (command.type === 'PLACE') this.limitOf.set(command.clientOrderId, command.limitPrice);
  }

  private onOrderEvent(event: OrderEvent): void {
    if (event.event === 'SUBMITTED') {
      this.counts.orders++;
      this.sentAt.set(event.clientOrderId, event.receivedAtMs);
    } else if (event.source === 'VENUE' && this.sentAt.has(event.clientOrderId)) {
      this.holding(event.venue, event.instrument).acks.push(event.receivedAtMs - this.sentAt.get(event.clientOrderId)!);
      this.sentAt.delete(event.clientOrderId);
    }
    if (event.state !== event.previousState && event.state === 'REJECTED') this.counts.rejects++;
    if (event.state !== event.previousState && event.state === 'CANCELED') this.counts.canceled++;
  }

  private onFill(fill: Fill): void {
    this.counts.fills++;
    const holding = this.holding(fill.venue, fill.instrument);
    const price = new Decimal(fill.price);
    const quantity = new Decimal(fill.quantity);
    const buy = fill.side === 'BUY';
    holding.fills++;
    holding.quantity = buy ? holding.quantity.plus(quantity) : holding.quantity.minus(quantity);
    holding.cash = buy ? holding.cash.minus(price.times(quantity)) : holding.cash.plus(price.times(quantity));
    holding.fees = holding.fees.plus(fill.fee);
    holding.volume = holding.volume.plus(quantity);
    holding.notional = holding.notional.plus(price.times(quantity));
    const mid = fill.intentId === null ? undefined : this.midAtIntent.get(fill.intentId);
    if (mid) {
      const slippage = (buy ? price.minus(mid) : mid.minus(price)).dividedBy(mid).times(BPS);
      holding.slippageWeighted = holding.slippageWeighted.plus(slippage.times(quantity));
      holding.slippageQuantity = holding.slippageQuantity.plus(quantity);
    }
    this.fills.push({
      atMs: fill.receivedAtMs,
      venue: fill.venue,
      instrument: fill.instrument,
      side: fill.side,
      price: fill.price,
      quantity: fill.quantity,
      fee: fill.fee,
      liquidity: fill.liquidity,
      limitPrice: this.limitOf.get(fill.clientOrderId) ?? null,
      intentId: fill.intentId,
    });
    this.sample(fill.receivedAtMs);
  }

  private holding(venue: string, instrument: string): Holding {
    const id = key(venue, instrument);
    let holding = this.holdings.get(id);
    if (!holding) {
      const quote = this.quoteOf.get(id) ?? '?';
      holding = { venue, instrument, quote, quantity: ZERO, cash: ZERO, fees: ZERO, volume: ZERO, notional: ZERO, fills: 0, slippageWeighted: ZERO, slippageQuantity: ZERO, acks: [] };
      this.holdings.set(id, holding);
    }
    return holding;
  }

  private sample(atMs: number): void {
    if (this.holdings.size === 0) return;
    const positions: Record<string, Decimal> = {};
    for (const holding of this.holdings.values()) positions[holding.instrument] = (positions[holding.instrument] ?? ZERO).plus(holding.quantity);
    const sample = { atMs, pnl: this.marked().pnl, positions: Object.fromEntries(Object.entries(positions).map(([instrument, quantity]) => [instrument, formatDecimal(quantity)])) };
    if (this.samples.at(-1)?.atMs === atMs) this.samples[this.samples.length - 1] = sample;
    else this.samples.push(sample);
    this.lastSampleMs = atMs;
  }

  private marked(): { pnl: Record<string, string>; exposure: Record<string, string> } {
    const pnl = new Map<string, Decimal>();
    const exposure = new Map<string, Decimal>();
    for (const holding of this.holdings.values()) {
      const touch = this.touches.get(key(holding.venue, holding.instrument));
      const mid = touch ? new Decimal(touch.bid).plus(touch.ask).dividedBy(2) : ZERO;
      const value = holding.cash.plus(holding.quantity.times(mid)).minus(holding.fees);
      pnl.set(holding.quote, (pnl.get(holding.quote) ?? ZERO).plus(value));
      exposure.set(holding.quote, (exposure.get(holding.quote) ?? ZERO).plus(holding.quantity.abs().times(mid)));
    }
    const rounded = (values: Map<string, Decimal>) => Object.fromEntries([...values].map(([currency, value]) => [currency, formatDecimal(value.toDecimalPlaces(8))]));
    return { pnl: rounded(pnl), exposure: rounded(exposure) };
  }
}

function key(venue: string, instrument: string): string {
  return `${venue}\u0000${instrument}`;
}
