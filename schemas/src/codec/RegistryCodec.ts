import registryClient, { type SchemaRegistry as RegistryClient } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { BadRecordError, WIRE_HEADER_BYTES, WIRE_MAGIC_BYTE, assertContract, type Codec, type CodecTopic } from './Codec.ts';

/** How one topic reads what one writer schema wrote: our reader type, resolved from the writer's. */
interface ReadPath {
  reader: avro.Type;
  resolver: avro.Resolver | undefined;
}
// CommonJS package: Node's ESM loader only sees its default export.
const { COMPATIBILITY, SchemaRegistry, SchemaType } = registryClient;

/** HTTP basic auth for a registry that requires it. The password is a secret. */
interface RegistryAuth {
  username: string;
  password: string;
}

/**
 * Avro in the standard Confluent wire format through a real schema registry
 * (@kafkajs/confluent-schema-registry). Subjects follow TopicNameStrategy (`<topic>-value`) and are
 * BACKWARD compatible, so a new reader always reads what older writers wrote.
 */
export class RegistryCodec implements Codec {
  private readonly registry: RegistryClient;
  private readonly ids = new Map<string, number>();
  private readonly readPaths = new Map<string, Promise<ReadPath>>();
  /** The basic auth header, also for the requests made with fetch below. */
  private readonly authorization: string | undefined;

  constructor(
    private readonly url: string,
    auth?: RegistryAuth,
  ) {
    const basic = auth && { username: auth.username, password: auth.password };
    this.registry = new SchemaRegistry({ host: url, retry: { retries: 3 }, ...(basic && { auth: basic }) });
    this.authorization = auth && `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
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
    if (bytes.length < WIRE_HEADER_BYTES || bytes[0] !== WIRE_MAGIC_BYTE) {
      throw new BadRecordError(`decode ${topic.name}: not in the Confluent wire format (magic byte ${bytes[0] ?? 'missing'})`);
    }
    const writerId = bytes.readInt32BE(1);
    const { reader, resolver } = await this.readPath(topic, writerId);
    let value: unknown;
    try {
      value = reader.fromBuffer(bytes.subarray(WIRE_HEADER_BYTES), resolver);
    } catch (error) {
      throw new BadRecordError(`decode ${topic.name}: schema id ${writerId}: ${(error as Error).message}`);
    }
    assertContract(topic, value, 'decode');
    return value;
  }

  /**
   * Our schema is the reader schema: Avro resolution turns what an older (or newer) writer wrote
   * into today's shape. Built once per (topic, writer id) — the registry client would otherwise
   * parse the reader schema and build a resolver for every record.
   */
  private readPath(topic: CodecTopic, writerId: number): Promise<ReadPath> {
    const key = `${topic.name}\u0000${writerId}`;
    let path = this.readPaths.get(key);
    if (!path) {
      path = this.buildReadPath(topic, writerId);
      this.readPaths.set(key, path);
      // A failed lookup (registry down, unknown id) is not cached: the next record asks again.
      path.catch(() => this.readPaths.delete(key));
    }
    return path;
  }

  private async buildReadPath(topic: CodecTopic, writerId: number): Promise<ReadPath> {
    let writer: avro.Type;
    try {
      writer = (await this.registry.getSchema(writerId)) as unknown as avro.Type;
    } catch (error) {
      throw classifyDecodeFailure(topic, writerId, error);
    }
    const reader = avro.Type.forSchema(topic.schema as avro.Schema);
    return { reader, resolver: reader.equals(writer) ? undefined : reader.createResolver(writer) };
  }

  private explain(status: number): string {
    if (status !== 401 && status !== 403) return '';
    return this.authorization ? ' (the registry refused our credentials)' : ' (the registry requires credentials)';
  }

  /**
   * Compatibility is set per subject before the first registration, so the very first schema is
   * already guarded and a registry whose global default is NONE cannot let a breaking change in.
   */
  private async requireBackward(subject: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${this.url}/config/${encodeURIComponent(subject)}`, {
        method: 'PUT',
        headers: {
          'content-type': 'application/vnd.schemaregistry.v1+json',
          ...(this.authorization && { authorization: this.authorization }),
        },
        body: JSON.stringify({ compatibility: COMPATIBILITY.BACKWARD }),
      });
      if (response.ok) return;
      // Workers starting together set the same subject at once; Apicurio answers the loser 409.
      // The setting is idempotent, so a conflict is tried again after a pause.
      if (response.status === 409 && attempt < CONFLICT_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        continue;
      }
      throw new Error(`schema registry ${this.url}: setting BACKWARD on ${subject} failed with HTTP ${response.status}${this.explain(response.status)}`);
    }
  }
}

/** How often a compatibility setting that lost a race with another worker's is tried. */
const CONFLICT_ATTEMPTS = 10;

export const subjectOf = (topicName: string) => `${topicName}-value`;

/** A registry 404 (unknown schema id) is permanent; network failures and other statuses are not. */
function classifyDecodeFailure(topic: CodecTopic, schemaId: number, error: unknown): Error {
  const status = (error as { status?: number }).status;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 404) return new BadRecordError(`decode ${topic.name}: schema id ${schemaId} is unknown to the registry`);
  if (status !== undefined || isNetworkError(error)) return error instanceof Error ? error : new Error(message);
  return new BadRecordError(`decode ${topic.name}: schema id ${schemaId}: ${message}`);
}

function isNetworkError(error: unknown): boolean {
  const text = `${(error as { code?: string }).code ?? ''} ${error instanceof Error ? error.message : ''}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up|fetch failed|Request timeout/i.test(text);
}
