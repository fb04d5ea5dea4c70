import { randomUUID } from 'node:crypto';
import {
  TOPICS,
  type BookSnapshot,
  type ControlCommand,
  type Intent,
  type RouteDecision,
  type SymbolMetadata,
  type VenueHealth,
} from '@crossvenue/schemas';
import { type Consumer, type Delivered, type Logger, type MessageBus } from '@crossvenue/runtime';
import { applyControl, emptyDesiredState, type DesiredState } from '../intents/DesiredState.ts';
import { applyOrDeadLetter } from '../worker/applyOrDeadLetter.ts';
import { DEFAULT_COST_CONFIG, type CostConfig } from './costModel.ts';
import { MarketView } from './MarketView.ts';
import { routeIntent } from './routeIntent.ts';

export interface RouterTopics {
  intents: typeof TOPICS.intents;
  bookSnapshots: typeof TOPICS.bookSnapshots;
  symbols: typeof TOPICS.symbols;
  venueHealth: typeof TOPICS.venueHealth;
  controlCommands: typeof TOPICS.controlCommands;
  routeDecisions: typeof TOPICS.routeDecisions;
}

export interface RouterWorkerOptions {
  messages: MessageBus;
  logger: Logger;
  /** Venue accounts to route to (each needs symbol metadata and a book for the instrument). */
  accounts: readonly { venue: string; account: string }[];
  /** The consumer group of intents and books, shared by router instances; default "router". */
  groupId?: string;
  /** The catalogue topics unless given (tests and benchmarks use their own). */
  topics?: RouterTopics;
  config?: CostConfig;
  clock?: () => number;
  /** How long a book can predate what the router's own legs took (OwnTakes); 0 for books no order of ours reaches. */
  ownTakeSettleMs?: number;
}

/**
 * Routes intents against the books it holds: every intent message becomes a route decision that
 * carries it (keyed by portfolio, for the execution side, which reads intents only this way): a
 * PLACE, MODIFY or REROUTE with the plan, a CANCEL with no legs. So the execution side reads one
 * portfolio's intents in one partition, in the order this router read them, each with its answer.
 *
 * Intents and book snapshots are co-partitioned by instrument and read in one shared group, so an
 * instance routes exactly the instruments whose books it holds (see coPartitioning.ts); symbols,
 * venue health and control commands (cancel-alls: no order goes where one is in force) are small
 * and read whole by every instance, in a group of its own. A restarted
 * router resumes after the last intent it routed (committed offsets) and holds no books until the
 * next snapshots arrive: intents in between see no venue and their decisions say so.
 */
export class RouterWorker {
  private readonly view: MarketView;
  /** Only the halts are used: which venue accounts a cancel-all or flatten closed. */
  private control: DesiredState = emptyDesiredState();
  private readonly topics: RouterTopics;
  private readonly consumers: Consumer[] = [];
  private readonly clock: () => number;

  constructor(private readonly options: RouterWorkerOptions) {
    this.view = new MarketView(options.accounts, options.ownTakeSettleMs);
    this.topics = options.topics ?? TOPICS;
    this.clock = options.clock ?? Date.now;
  }

  async start(): Promise<void> {
    const { messages } = this.options;
    this.consumers.push(
      await messages.subscribe({
        groupId: `${this.options.groupId ?? 'router'}-reference-${randomUUID()}`,
        topics: [this.topics.symbols, this.topics.venueHealth, this.topics.controlCommands],
        fromBeginning: true,
        handle: async (batch) => {
          const { venueHealth, controlCommands, symbols } = this.topics;
          const topic = batch[0]!.topic;
          if (topic === venueHealth.name) await applyOrDeadLetter(this.options, venueHealth, batch as Array<Delivered<VenueHealth>>, ({ value }) => this.view.applyHealth(value));
          else if (topic === controlCommands.name) await applyOrDeadLetter(this.options, controlCommands, batch as Array<Delivered<ControlCommand>>, ({ value }) => (this.control = applyControl(this.control, value)));
          else await applyOrDeadLetter(this.options, symbols, batch as Array<Delivered<SymbolMetadata>>, ({ value }) => this.view.applyMarket(value));
        },
      }),
      await messages.subscribe({
        groupId: this.options.groupId ?? 'router',
        topics: [this.topics.bookSnapshots, this.topics.intents],
        fromBeginning: true,
        handle: async (batch) => {
          if (batch[0]!.topic === this.topics.intents.name) await this.route(batch as Array<Delivered<Intent>>);
          else await applyOrDeadLetter(this.options, this.topics.bookSnapshots, batch as Array<Delivered<BookSnapshot>>, ({ value }) => this.view.applyBook(value));
        },
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }

  /** The venue accounts an intent for `instrument` could be routed to now (books and rules known). */
  venuesFor(instrument: string): string[] {
    return this.view.candidates(instrument, 'BUY', this.clock()).map(({ venue, account }) => `${venue}/${account}`);
  }

  private async route(batch: Array<Delivered<Intent>>): Promise<void> {
    const decisions: RouteDecision[] = [];
    await applyOrDeadLetter(this.options, this.topics.intents, batch, ({ value: intent }) => {
      const decision = routeIntent(intent, this.view, this.clock(), this.options.config ?? DEFAULT_COST_CONFIG, this.control.halts);
      this.view.applyDecision(decision);
      decisions.push(decision);
    });
    await this.options.messages.publish(this.topics.routeDecisions, decisions);
  }
}
