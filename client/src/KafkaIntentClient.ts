import { randomUUID } from 'node:crypto';
import { createLogger, kafkaMessageBus, resolveEndpoints, type Consumer, type Endpoints, type Logger, type MessageBus } from '@crossvenue/runtime';
import { TOPICS, type Intent, type IntentStatus } from '@crossvenue/schemas';
import { changeIntent, placeIntent, targetIntent, type OrderChange, type OrderTerms, type Sender, type TargetChange, type TargetTerms } from './OrderTerms.ts';
import { hasEnded, reachedOrEnded, reachedStatus, StatusWatch } from './StatusWatch.ts';

export interface KafkaIntentClientOptions extends Sender {
  /** The local stack's unless given (KAFKA_BROKERS, SCHEMA_REGISTRY_URL and their credentials). */
  endpoints?: Endpoints;
  /** A pipeline run under a namespace (its topics prefixed): the same prefix. */
  namespace?: string;
  logger?: Logger;
}

/**
 * A strategy's way in on Kafka: publishes intents on `exec.intents` (Avro in the Confluent wire
 * format, the registry's schemas, keyed by instrument with Kafka's murmur2 partitioner) and follows
 * their statuses on `exec.intent-status`, which it reads from the moment it connected.
 */
export class KafkaIntentClient {
  /** The latest PLACE or MODIFY of each intent this client sent: a change is sent as the whole intent. */
  private readonly placed = new Map<string, Intent>();

  private constructor(
    private readonly messages: MessageBus,
    private readonly consumer: Consumer,
    private readonly watch: StatusWatch,
    private readonly sender: Sender,
  ) {}

  /** Connects, and resolves once the status topic is read up to its end: no status of an intent placed after this is missed. */
  static async connect(options: KafkaIntentClientOptions): Promise<KafkaIntentClient> {
    const endpoints = options.endpoints ?? resolveEndpoints();
    const logger = options.logger ?? createLogger(`client-${options.requestedBy}`);
    const messages = kafkaMessageBus(`client-${options.requestedBy}`, logger, { endpoints, namespace: options.namespace });
    await messages.prepare([TOPICS.intents, TOPICS.intentStatus]);
    const watch = new StatusWatch();
    const consumer = await messages.subscribe({
      groupId: `client-${options.requestedBy}-${randomUUID()}`,
      topics: [TOPICS.intentStatus],
      fromBeginning: false,
      handle: async (batch) => {
        for (const { value } of batch) watch.add(value);
      },
    });
    while (!consumer.catchUp().caughtUp) await new Promise((resolve) => setTimeout(resolve, 20));
    return new KafkaIntentClient(messages, consumer, watch, { source: options.source, requestedBy: options.requestedBy });
  }

  /** Places an order (a trigger, an iceberg or a TWAP included); resolves with its intent id once the intent is written to Kafka. */
  place(terms: OrderTerms, intentId?: string): Promise<string> {
    return this.publishPlace(placeIntent(terms, this.sender, intentId));
  }

  /** Sets a target position (held until cancelled); resolves with its intent id once the intent is written to Kafka. */
  setTarget(terms: TargetTerms, intentId?: string): Promise<string> {
    return this.publishPlace(targetIntent(terms, this.sender, intentId));
  }

  /** Changes the amount or the limit price of an order this client placed. */
  modify(intentId: string, change: OrderChange): Promise<void> {
    return this.send(intentId, change);
  }

  /** Moves a target this client set to another signed position (a decimal string). */
  modifyTarget(intentId: string, targetQuantity: string): Promise<void> {
    return this.send(intentId, { targetQuantity });
  }

  /** Cancels an order or a target this client placed. */
  cancel(intentId: string): Promise<void> {
    return this.send(intentId, null);
  }

  /** The latest status read of an intent, if any. */
  status(intentId: string): IntentStatus | undefined {
    return this.watch.latest(intentId);
  }

  /**
   * Resolves with the intent's first final status; rejects after `timeoutMs`. An order's are DONE,
   * CANCELED, EXPIRED and REJECTED; a target's only CANCELED, or REJECTED on arrival (its DONE is
   * not final: see reached()). An intent this client did not place is followed as an order.
   */
  final(intentId: string, timeoutMs: number): Promise<IntentStatus> {
    const kind = this.placed.get(intentId)?.kind ?? 'ORDER';
    return this.watch.until(intentId, (status) => hasEnded(status, kind), timeoutMs, 'no final status');
  }

  /** Resolves once the target is DONE, its position at the target; rejects when it ends without, or after `timeoutMs`. */
  async reached(intentId: string, timeoutMs: number): Promise<IntentStatus> {
    return reachedStatus(await this.watch.until(intentId, reachedOrEnded, timeoutMs, 'not DONE at its target'));
  }

  /** Resolves with the intent's first status read (the latest, if already read) that `wanted` takes; rejects after `timeoutMs`. */
  until(intentId: string, wanted: (status: IntentStatus) => boolean, timeoutMs: number): Promise<IntentStatus> {
    return this.watch.until(intentId, wanted, timeoutMs, 'no status as wanted');
  }

  /** Calls `listener` with every status read from now on. */
  onStatus(listener: (status: IntentStatus) => void): () => void {
    return this.watch.listen(listener);
  }

  async close(): Promise<void> {
    await this.consumer.stop();
    await this.messages.bus.close();
  }

  private async publishPlace(intent: Intent): Promise<string> {
    await this.messages.publish(TOPICS.intents, [intent]);
    this.placed.set(intent.intentId, intent);
    return intent.intentId;
  }

  private async send(intentId: string, change: OrderChange | TargetChange | null): Promise<void> {
    const placed = this.placed.get(intentId);
    if (!placed) throw new Error(`intent ${intentId} was not placed by this client: its terms are not known here`);
    const message = changeIntent(placed, change);
    await this.messages.publish(TOPICS.intents, [message]);
    if (change) this.placed.set(intentId, message);
  }
}
