import type { RecordSchema } from '../avro/AvroSchema.ts';
import { contractViolations } from '../avro/contract.ts';

/** What a codec needs to know of a topic: its name (the subject is `<name>-value`) and value schema. */
export interface CodecTopic {
  name: string;
  schema: RecordSchema;
}

export interface Codec {
  /** Registers (or looks up) every topic's value schema; call once at start. */
  register(topics: CodecTopic[]): Promise<void>;
  encode(topic: CodecTopic, value: unknown): Promise<Buffer>;
  /** Throws BadRecordError when the bytes can never be decoded, any other error when it may pass on retry. */
  decode(topic: CodecTopic, bytes: Buffer): Promise<unknown>;
}

/**
 * A record that will never decode or breaks its contract, whatever we retry: it belongs in the
 * dead-letter topic. Any other error (registry unreachable) is transient and must not be.
 */
export class BadRecordError extends Error {
  override readonly name = 'BadRecordError';
}

/** Refuses values whose decimal fields are not decimals; `where` says which side found it. */
export function assertContract(topic: CodecTopic, value: unknown, where: 'encode' | 'decode'): void {
  const violations = contractViolations(topic.schema, value);
  if (violations.length > 0) {
    throw new BadRecordError(`${where} ${topic.name}: ${violations.join('; ')}`);
  }
}

/** The Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the Avro body. */
export const WIRE_MAGIC_BYTE = 0;
export const WIRE_HEADER_BYTES = 5;
