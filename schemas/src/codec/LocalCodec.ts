import avro from 'avsc';
import {
  BadRecordError,
  WIRE_HEADER_BYTES,
  WIRE_MAGIC_BYTE,
  assertContract,
  type Codec,
  type CodecTopic,
} from './Codec.ts';

/**
 * The codec of the embedded run: the same Avro schemas and wire format as the registry codec, with
 * schema ids assigned in process. It keeps the contract (decimals, shapes) where no registry runs.
 */
export class LocalCodec implements Codec {
  private readonly types: avro.Type[] = [];
  private readonly ids = new Map<string, number>();
  private scratch = Buffer.alloc(64 * 1_024);

  async register(topics: CodecTopic[]): Promise<void> {
    for (const topic of topics) {
      if (this.ids.has(topic.name)) continue;
      this.ids.set(topic.name, this.types.length);
      this.types.push(avro.Type.forSchema(topic.schema as avro.Schema));
    }
  }

  async encode(topic: CodecTopic, value: unknown): Promise<Buffer> {
    assertContract(topic, value, 'encode');
    const id = this.ids.get(topic.name);
    if (id === undefined) throw new Error(`schema of ${topic.name} is not registered: call register() at start`);
    // Header and body written into one scratch buffer, then copied out once: a header, a body and
    // their concatenation, three buffers a record, showed in the backtest's profile.
    const type = this.types[id]!;
    let end = type.encode(value, this.scratch, WIRE_HEADER_BYTES);
    while (end < 0) {
      // Too small: avsc says by how much. The bigger buffer stays for the records after.
      this.scratch = Buffer.alloc(2 * (this.scratch.length - end));
      end = type.encode(value, this.scratch, WIRE_HEADER_BYTES);
    }
    this.scratch.writeUInt8(WIRE_MAGIC_BYTE, 0);
    this.scratch.writeInt32BE(id, 1);
    const bytes = Buffer.allocUnsafe(end);
    this.scratch.copy(bytes, 0, 0, end);
    return bytes;
  }

  async decode(topic: CodecTopic, bytes: Buffer): Promise<unknown> {
    if (bytes.length < WIRE_HEADER_BYTES || bytes[0] !== WIRE_MAGIC_BYTE) {
      throw new BadRecordError(`decode ${topic.name}: not in the Confluent wire format (magic byte ${bytes[0] ?? 'missing'})`);
    }
    const id = bytes.readInt32BE(1);
    const type = this.types[id];
    if (!type) throw new BadRecordError(`decode ${topic.name}: schema id ${id} is unknown`);
    let value: unknown;
    try {
      value = type.fromBuffer(bytes.subarray(WIRE_HEADER_BYTES));
    } catch (error) {
      throw new BadRecordError(`decode ${topic.name}: schema id ${id}: ${(error as Error).message}`);
    }
    assertContract(topic, value, 'decode');
    return value;
  }
}
