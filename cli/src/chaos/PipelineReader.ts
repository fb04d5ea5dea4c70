import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_HEADERS, type Consumer, type MessageBus } from '@crossvenue/runtime';
import { ALL_TOPICS, TOPICS, type Fill, type Intent, type OrderCommand, type OrderEvent, type OrderState, type Position, type RiskDecision, type RouteDecision } from '@crossvenue/schemas';
import { accountKey } from '../config/Config.ts';

/** A dead letter: the topic it was read from and the reason it was refused. */
export interface DeadLetter {
  topic: string;
  reason: string;
  atMs: number;
}

/** An order in these states waits on the venue or on us: what it did is not known yet. */
const IN_FLIGHT: ReadonlySet<OrderState> = new Set(['PENDING_NEW', 'PENDING_CANCEL', 'PENDING_AMEND', 'UNKNOWN']);

/**
 * Everything the pipeline publishes that a chaos scenario judges it by, read from the beginning
 * of the topics as any outside reader would: intents, route decisions, risk decisions, order
 * commands and events, fills, the positions of one portfolio and instrument, and every dead letter
 * with its reason.
 */
export class PipelineReader {
  readonly intents: Intent[] = [];
  readonly decisions: RouteDecision[] = [];
  readonly verdicts: RiskDecision[] = [];
  readonly fills: Fill[] = [];
  /** The client order ids PLACE commands asked for, and the latest state of every order (the topics are read side by side, so an event may come first). */
  private readonly placed = new Set<string>();
  private readonly states = new Map<string, OrderState>();
  readonly deadLetters: DeadLetter[] = [];
  /** The portfolio's latest position in the instrument per "venue|account" (accountKey), and when the last one arrived. */
  readonly positions = new Map<string, Position>();
  positionAtMs = 0;
  private readonly consumers: Consumer[] = [];

  constructor(
    private readonly messages: MessageBus,
    private readonly book: { portfolio: string; instrument: string },
  ) {}

  async start(): Promise<void> {
    const id = randomUUID();
    this.consumers.push(
      await this.messages.subscribe({
        groupId: `chaos-reader-${id}`,
        topics: [TOPICS.intents, TOPICS.routeDecisions, TOPICS.riskDecisions, TOPICS.orderCommands, TOPICS.orderEvents, TOPICS.fills, TOPICS.positions],
        fromBeginning: true,
        handle: async (batch) => {
          for (const { topic, value } of batch) this.take(topic, value);
        },
      }),
    );
    const deadLetterTopics = ALL_TOPICS.map((topic) => topic.deadLetter.name);
    this.consumers.push(
      await this.messages.bus.consume({
        groupId: `chaos-dead-letters-${id}`,
        topics: deadLetterTopics,
        fromBeginning: true,
        handleBatch: async ({ topic, records }) => {
          for (const { headers, timestampMs } of records) this.deadLetters.push({ topic, reason: headers[DEAD_LETTER_HEADERS.reason] ?? 'no reason given', atMs: timestampMs });
        },
      }),
    );
  }

  /** Whether every topic is read to the end it had when the reader started. */
  caughtUp(): boolean {
    return this.consumers.every((consumer) => consumer.catchUp().caughtUp);
  }

  /** The client order ids of orders placed whose outcome is not known yet (no venue answer, or a pending or unknown state). */
  ordersInFlight(): string[] {
    return [...this.placed].filter((clientOrderId) => {
      const state = this.states.get(clientOrderId);
      return state === undefined || IN_FLIGHT.has(state);
    });
  }

  async stop(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }

  private take(topic: string, value: unknown): void {
    if (topic === TOPICS.intents.name) this.intents.push(value as Intent);
    else if (topic === TOPICS.routeDecisions.name) this.decisions.push(value as RouteDecision);
    else if (topic === TOPICS.riskDecisions.name) this.verdicts.push(value as RiskDecision);
    else if (topic === TOPICS.fills.name) this.fills.push(value as Fill);
    else if (topic === TOPICS.orderCommands.name) {
      const command = value as OrderCommand;
      if (command.type === 'PLACE') this.placed.add(command.clientOrderId);
    } else if (topic === TOPICS.orderEvents.name) {
      const event = value as OrderEvent;
      this.states.set(event.clientOrderId, event.state);
    }
    else {
      const position = value as Position;
      const { portfolio, instrument } = this.book;
      if (position.portfolio !== portfolio || position.instrument !== instrument) return;
      this.positions.set(accountKey(position), position);
      this.positionAtMs = Date.now();
    }
  }
}
