import { randomUUID } from 'node:crypto';
import {
  InvalidInputError,
  parseDecimal,
  parseIntentId,
  parsePortfolioId,
  parseSymbol,
  TOPICS,
  type BalanceSnapshot,
  type BookSnapshot,
  type FundingRate,
  type Intent,
  type IntentStatus,
  type SymbolMetadata,
  type TopicDefinition,
} from '@crossvenue/schemas';
import type { Consumer, Logger, MessageBus } from '@crossvenue/runtime';
import { orderIntentEnvelope } from '../intents/orderIntent.ts';
import { ReferenceState } from './ReferenceState.ts';
import type { OrderRequest, Strategy, StrategyContext, StrategyReads } from './Strategy.ts';

const REFERENCE_TOPICS = { markets: TOPICS.symbols, balances: TOPICS.balances, funding: TOPICS.fundingRates } as const;
/** Reads whose topic is history, not compacted state: read from now on (a funding rate is polled again within a minute), not its 30 days. */
const FROM_NOW: ReadonlySet<StrategyReads> = new Set(['funding']);

/** The topics the runner reads and writes for `strategy`: what a worker running it prepares. */
export function strategyTopics(strategy: Strategy): TopicDefinition[] {
  return [TOPICS.bookSnapshots, ...executionTopics(strategy), ...(strategy.reads ?? []).map((read) => REFERENCE_TOPICS[read]), TOPICS.intents];
}

/** Its portfolio's execution records the strategy has a handler for: it is not sent what it would not read. */
function executionTopics(strategy: Strategy): Array<typeof TOPICS.orderEvents | typeof TOPICS.fills | typeof TOPICS.intentStatus | typeof TOPICS.fundingPayments> {
  return [
    ...(strategy.onOrderEvent ? [TOPICS.orderEvents] : []),
    ...(strategy.onFill ? [TOPICS.fills] : []),
    ...(strategy.onStatus ? [TOPICS.intentStatus] : []),
    ...(strategy.onFundingPayment ? [TOPICS.fundingPayments] : []),
  ];
}

export interface StrategyRunnerOptions {
  messages: MessageBus;
  strategy: Strategy;
  /** Names its intents (requestedBy, id prefix) and its consumer group: one running instance per name. */
  name: string;
  portfolio: string;
  settings?: Readonly<Record<string, unknown>>;
  logger: Logger;
  /** The run's clock; Date.now unless a backtest drives simulated time. */
  clock?: () => number;
  /**
   * 'wall': the runner calls `tick` every `timerMs` itself. 'driven': whoever advances the clock
   * (a backtest's replay) calls `tick`, so timers fire in simulated time.
   */
  timers?: 'wall' | 'driven';
}

/**
 * Runs one strategy on a message bus: hands it the books of its instruments, the order events
 * and fills of its portfolio and the status of its own intents, one at a time and in order, and
 * publishes the intents it asks for (source STRATEGY, requested by its name). The same runner serves a backtest (in-process bus,
 * simulated clock), the embedded run and a worker on Kafka.
 *
 * Intent ids are `<name>-<start time in base 36>-<n>`: unique across restarts of a live strategy,
 * and the same on every replay of a backtest with the same simulated start.
 */
export class StrategyRunner {
  private readonly context: StrategyContext;
  private readonly clock: () => number;
  private readonly latest = new Map<string, Map<string, BookSnapshot>>();
  private readonly reference: ReferenceState;
  private readonly idPrefix: string;
  /** The instrument of each intent this run placed: a CANCEL is keyed to its PLACE's partition by it. */
  private readonly instrumentOf = new Map<string, string>();
  private consumers: Consumer[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextTimerAt: number | undefined;
  private placed = 0;
  /** Inputs are handed over one at a time: this is the last one handed over. */
  private turn: Promise<void> = Promise.resolve();

  constructor(private readonly options: StrategyRunnerOptions) {
    const { name, portfolio, strategy, messages, logger } = options;
    parsePortfolioId(portfolio);
    this.clock = options.clock ?? Date.now;
    this.idPrefix = `${name}-${this.clock().toString(36)}`;
    parseIntentId(`${this.idPrefix}-0`);
    if (strategy.timerMs !== undefined && !(Number.isInteger(strategy.timerMs) && strategy.timerMs > 0)) {
      throw new InvalidInputError(`strategy ${name}: timerMs must be a positive whole number of ms, got ${strategy.timerMs}`);
    }
    for (const instrument of strategy.instruments) parseSymbol(instrument);
    for (const read of strategy.reads ?? []) {
      if (!Object.hasOwn(REFERENCE_TOPICS, read)) throw new InvalidInputError(`strategy ${name}: reads has ${String(read)}; known: ${Object.keys(REFERENCE_TOPICS).join(', ')}`);
    }
    const instruments = new Set(strategy.instruments);
    this.reference = new ReferenceState(portfolio);
    const declared = (read: StrategyReads) => {
      if (!strategy.reads?.includes(read)) throw new InvalidInputError(`strategy ${name}: reading ${read} needs reads: ['${read}'] on the strategy`);
    };
    this.context = {
      name,
      portfolio,
      settings: options.settings ?? {},
      logger,
      now: () => this.clock(),
      books: (instrument) => this.latest.get(instrument) ?? new Map(),
      market: (venue, instrument) => {
        declared('markets');
        return this.reference.market(venue, instrument);
      },
      balances: (venue) => {
        declared('balances');
        return this.reference.balances(venue);
      },
      fundingRate: (venue, instrument) => {
        declared('funding');
        return this.reference.fundingRate(venue, instrument);
      },
      place: async (order) => {
        if (!instruments.has(order.instrument)) throw new InvalidInputError(`strategy ${name}: ${order.instrument} is not one of its instruments (${[...instruments].join(', ')})`);
        const intent = this.placeIntent(order);
        await messages.publish(TOPICS.intents, [intent]);
        return intent.intentId;
      },
      cancel: async (intentId) => {
        if (!this.ownIntent(intentId)) throw new InvalidInputError(`strategy ${name}: cannot cancel ${intentId}, an intent it did not place`);
        await messages.publish(TOPICS.intents, [this.cancelIntent(intentId)]);
      },
    };
  }

  async start(): Promise<void> {
    const { messages, strategy, name, portfolio } = this.options;
    const instruments = new Set(strategy.instruments);
    for (const fromBeginning of [true, false]) {
      const reads = (strategy.reads ?? []).filter((read) => FROM_NOW.has(read) !== fromBeginning).map((read) => REFERENCE_TOPICS[read]);
      if (reads.length === 0) continue;
      this.consumers.push(
        await messages.subscribe({
          // Reference state is read by every instance: a group of its own, never committed.
          groupId: `strategy-${name}-reference-${randomUUID()}`,
          topics: reads,
          fromBeginning,
          commit: false,
          handle: async (batch) => {
            for (const { topic, value } of batch) {
              if (topic === TOPICS.symbols.name) this.reference.applyMarket(value as SymbolMetadata);
              else if (topic === TOPICS.fundingRates.name) this.reference.applyFundingRate(value as FundingRate);
              else this.reference.applyBalances(value as BalanceSnapshot);
            }
          },
        }),
      );
    }
    await this.inTurn(async () => strategy.start?.(this.context));
    this.consumers.push(
      await messages.subscribe({
        groupId: `strategy-${name}-books`,
        topics: [TOPICS.bookSnapshots],
        // Books are state, not history: a restarted strategy starts from the ones published now.
        fromBeginning: false,
        commit: false,
        handle: async (batch) => {
          for (const { value: book } of batch) {
            if (!instruments.has(book.instrument)) continue;
            const venues = this.latest.get(book.instrument) ?? new Map<string, BookSnapshot>();
            venues.set(book.venue, book);
            this.latest.set(book.instrument, venues);
            await this.inTurn(async () => strategy.onBook?.(book, this.context));
          }
        },
      }),
    );
    const execution = executionTopics(strategy);
    if (execution.length > 0) {
      this.consumers.push(
        await messages.subscribe({
          groupId: `strategy-${name}`,
          topics: execution,
          fromBeginning: false,
          handle: async (batch) => {
            for (const { topic, value } of batch) {
              if (value.portfolio !== portfolio) continue;
              if (topic === TOPICS.fills.name) await this.inTurn(async () => strategy.onFill?.(value as never, this.context));
              else if (topic === TOPICS.orderEvents.name) await this.inTurn(async () => strategy.onOrderEvent?.(value as never, this.context));
              else if (topic === TOPICS.fundingPayments.name) await this.inTurn(async () => strategy.onFundingPayment?.(value as never, this.context));
              // Only its own intents' status: others of the portfolio (a trader's, another strategy's) are not its business.
              else if (this.ownIntent((value as IntentStatus).intentId)) await this.inTurn(async () => strategy.onStatus?.(value as never, this.context));
            }
          },
        }),
      );
    }
    if (strategy.timerMs !== undefined) {
      this.nextTimerAt = this.clock() + strategy.timerMs;
      if (this.options.timers !== 'driven') this.timer = setInterval(() => void this.tick().catch((error: unknown) => this.options.logger.error({ err: error }, 'strategy timer failed')), strategy.timerMs);
    }
    this.options.logger.info({ strategy: name, portfolio, instruments: strategy.instruments }, `strategy ${name} running for portfolio ${portfolio} on ${strategy.instruments.join(', ')}`);
  }

  /** Fires `onTimer` once if its time has come on the run's clock (a backtest calls this as it advances time). */
  async tick(): Promise<void> {
    const { strategy } = this.options;
    if (this.nextTimerAt === undefined || this.clock() < this.nextTimerAt) return;
    this.nextTimerAt = this.clock() + strategy.timerMs!;
    await this.inTurn(async () => strategy.onTimer?.(this.context));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.consumers.map((consumer) => consumer.stop()));
    this.consumers = [];
    await this.turn;
  }

  /** Whether `intentId` is one this strategy placed, in this run or an earlier one (ids start with its name). */
  private ownIntent(intentId: string | null): boolean {
    return intentId !== null && intentId.startsWith(`${this.options.name}-`);
  }

  /** Runs `work` after everything handed over before it, so handlers never overlap. */
  private inTurn(work: () => Promise<void>): Promise<void> {
    const next = this.turn.then(work);
    this.turn = next.catch(() => undefined);
    return next;
  }

  private placeIntent(order: OrderRequest): Intent {
    const where = `strategy ${this.options.name} order`;
    if (!parseDecimal(order.amount, `${where} amount`).gt(0)) throw new InvalidInputError(`${where}: amount must be positive, got ${order.amount}`);
    const limitPrice = order.limitPrice ?? null;
    if (limitPrice !== null && !parseDecimal(limitPrice, `${where} limit price`).gt(0)) throw new InvalidInputError(`${where}: limit price must be positive, got ${limitPrice}`);
    const timeInForce = order.timeInForce ?? 'IOC';
    if (limitPrice === null && timeInForce === 'GTC') throw new InvalidInputError(`${where}: a market order cannot rest (GTC); give a limit price or use IOC/FOK`);
    const intentId = `${this.idPrefix}-${this.placed++}`;
    this.instrumentOf.set(intentId, order.instrument);
    return {
      ...this.intentBase(intentId, order.instrument, 'place'),
      venues: [...(order.venues ?? [])],
      action: 'PLACE',
      order: {
        side: order.side,
        amount: order.amount,
        amountType: 'BASE',
        limitPrice,
        timeInForce,
        expireAtMs: null,
        postOnly: order.postOnly ?? false,
        reduceOnly: order.reduceOnly ?? false,
        trigger: null,
        icebergQuantity: null,
      },
    };
  }

  private cancelIntent(intentId: string): Intent {
    const instrument = this.instrumentOf.get(intentId);
    if (!instrument) throw new InvalidInputError(`strategy ${this.options.name}: cannot cancel ${intentId}, this run did not place it`);
    return { ...this.intentBase(intentId, instrument, 'cancel'), venues: [], action: 'CANCEL', order: null };
  }

  private intentBase(intentId: string, instrument: string, what: 'place' | 'cancel') {
    const { portfolio, name } = this.options;
    return orderIntentEnvelope({ eventId: `${intentId}:${what}`, intentId, portfolio, account: null, instrument, source: 'STRATEGY', requestedBy: name, createdAtMs: this.clock() });
  }
}
