import registryClient, { type SchemaRegistry as RegistryClient } from '@kafkajs/confluent-schema-registry';
import type { RawAvroSchema } from '@kafkajs/confluent-schema-registry/dist/@types';
import { BadRecordError, WIRE_MAGIC_BYTE, assertContract, type Codec, type CodecTopic } from './Codec.ts';
// CommonJS package: Node's ESM loader only sees its default export.
const { COMPATIBILITY, SchemaRegistry, SchemaType } = registryClient;

/**
 * Avro in the standard Confluent wire format through a real schema registry
 * (@kafkajs/confluent-schema-registry). Subjects follow TopicNameStrategy (`<topic>-value`) and are
 * BACKWARD compatible, so a new reader always reads what older writers wrote.
 */
export class RegistryCodec implements Codec {
  private readonly registry: RegistryClient;
  private readonly ids = new Map<string, number>();

  constructor(private readonly url: string) {
    this.registry = new SchemaRegistry({ host: url, retry: { retries: 3 } });
  }

  async register(topics: CodecTopic[]): Promise<void> {
    for (const topic of topics) {
      const subject = subjectOf(topic.name);
      await this.requireBackward(subject);
      const { id } = await this.registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(topic.schema) },
        { subject, compatibility: COMPATIBILITY.BACKWARD },
      );
      this.ids.set(topic.name, id);
    }
  }

  /** The id under which this codec writes a topic's records (after `register`). */
  schemaId(topic: CodecTopic): number {
    const id = this.ids.get(topic.name);
    if (id === undefined) throw new Error(`schema of ${topic.name} is not registered: call register() at start`);
    return id;
  }

  async encode(topic: CodecTopic, value: unknown): Promise<Buffer> {
    assertContract(topic, value, 'encode');
    return this.registry.encode(this.schemaId(topic), value);
  }

  async decode(topic: CodecTopic, bytes: Buffer): Promise<unknown> {
    if (bytes.length < 5 || bytes[0] !== WIRE_MAGIC_BYTE) {
      throw new BadRecordError(`decode ${topic.name}: not in the Confluent wire format (magic byte ${bytes[0] ?? 'missing'})`);
    }
    let value: unknown;
    try {
      // Our schema is the reader schema: Avro resolution turns what an older writer wrote into today's shape.
      value = await this.registry.decode(bytes, { [SchemaType.AVRO]: { readerSchema: topic.schema as RawAvroSchema } });
    } catch (error) {
      throw classifyDecodeFailure(topic, bytes, error);
    }
    assertContract(topic, value, 'decode');
    return value;
  }

  /**
   * Compatibility is set per subject before the first registration, so the very first schema is
   * already guarded and a registry whose global default is NONE cannot let a breaking change in.
   */
  private async requireBackward(subject: string): Promise<void> {
    const response = await fetch(`${this.url}/config/${encodeURIComponent(subject)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ compatibility: COMPATIBILITY.BACKWARD }),
    });
    if (!response.ok) {
      throw new Error(`schema registry ${this.url}: setting BACKWARD on ${subject} failed with HTTP ${response.status}`);
    }
  }
}

export const subjectOf = (topicName: string) => `${topicName}-value`;

/** Registry 404s (unknown schema id) and Avro parse errors are permanent; network failures are not. */
function classifyDecodeFailure(topic: CodecTopic, bytes: Buffer, error: unknown): Error {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message : String(error);
  const schemaId = bytes.readInt32BE(1);
  if (status === 404) return new BadRecordError(`decode ${topic.name}: schema id ${schemaId} is unknown to the registry`);
  if (status !== undefined || isNetworkError(error)) return error instanceof Error ? error : new Error(message);
  return new BadRecordError(`decode ${topic.name}: schema id ${schemaId}: ${message}`);
}

function isNetworkError(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ''} ${error instanceof Error ? error.message : ''}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|fetch failed|Request timeout/i.test(text);
}
