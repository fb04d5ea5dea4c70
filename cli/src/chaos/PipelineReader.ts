import { randomUUID } from 'node:crypto';
import { DEAD_LETTER_HEADERS, type Consumer, type MessageBus } from '@crossvenue/runtime';
import { ALL_TOPICS, TOPICS, type Fill, type Intent, type Position, type RiskDecision, type RouteDecision } from '@crossvenue/schemas';

/** A dead letter: the topic it was read from and the reason it was refused. */
export interface DeadLetter {
  topic: string;
  reason: string;
  atMs: number;
}

/**
 * Everything the pipeline publishes that a chaos scenario judges it by, read from the beginning
 * of the topics as any outside reader would: intents, route decisions, risk decisions, fills, the
 * positions of one account and instrument, and every dead letter with its reason.
 */
export class PipelineReader {
  readonly intents: Intent[] = [];
  readonly decisions: RouteDecision[] = [];
  readonly verdicts: RiskDecision[] = [];
  readonly fills: Fill[] = [];
  readonly deadLetters: DeadLetter[] = [];
  /** The account's latest position per venue, and when the last one arrived. */
  readonly positions = new Map<string, Position>();
  positionAtMs = 0;
  private readonly consumers: Consumer[] = [];

  constructor(
    private readonly messages: MessageBus,
    private readonly account: { portfolio: string; account: string; instrument: string },
  ) {}

  async start(): Promise<void> {
    const id = randomUUID();
    this.consumers.push(
      await this.messages.subscribe({
        groupId: `chaos-reader-${id}`,
        topics: [TOPICS.intents, TOPICS.routeDecisions, TOPICS.riskDecisions, TOPICS.fills, TOPICS.positions],
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

  async stop(): Promise<void> {
    await Promise.all(this.consumers.splice(0).map((consumer) => consumer.stop()));
  }

  private take(topic: string, value: unknown): void {
    if (topic === TOPICS.intents.name) this.intents.push(value as Intent);
    else if (topic === TOPICS.routeDecisions.name) this.decisions.push(value as RouteDecision);
    else if (topic === TOPICS.riskDecisions.name) this.verdicts.push(value as RiskDecision);
    else if (topic === TOPICS.fills.name) this.fills.push(value as Fill);
    else {
      const position = value as Position;
      const { portfolio, account, instrument } = this.account;
      if (position.portfolio !== portfolio || position.account !== account || position.instrument !== instrument) return;
      this.positions.set(position.venue, position);
      this.positionAtMs = Date.now();
    }
  }
}
