import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decimal, RegistryCodec, subjectOf } from '@crossvenue/schemas';
import { resolveEndpoints } from '../endpoints.ts';

const { schemaRegistryUrl } = resolveEndpoints();

const quoteV1 = {
  type: 'record',
  name: 'Quote',
  namespace: 'crossvenue.test',
  fields: [
    { name: 'eventId', type: 'string' },
    { name: 'price', type: decimal },
  ],
} as const;
// Compatible: a new optional field with a default.
const quoteV2 = { ...quoteV1, fields: [...quoteV1.fields, { name: 'fee', type: ['null', decimal], default: null }] } as const;
// Incompatible: a new required field, which a new reader cannot fill from old records.
const quoteBreaking = { ...quoteV2, fields: [...quoteV2.fields, { name: 'venue', type: 'string' }] } as const;

async function codecFor(topic: string, schema: typeof quoteV1 | typeof quoteV2 | typeof quoteBreaking) {
  const codec = new RegistryCodec(schemaRegistryUrl);
  const codecTopic = { name: topic, schema };
  await codec.register([codecTopic]);
  return { codec, topic: codecTopic };
}

describe('registry codec on the real schema registry', () => {
  it('writes the Confluent wire format with the id the registry resolves to our schema', async () => {
    const { codec, topic } = await codecFor(`test.quotes.${randomUUID().slice(0, 8)}`, quoteV1);
    const bytes = await codec.encode(topic, { eventId: 'e1', price: '0.00000001' });
    expect(bytes[0]).toBe(0);
    const id = bytes.readInt32BE(1);
    expect(id).toBe(codec.schemaId(topic));
    const stored = (await (await fetch(`${schemaRegistryUrl}/schemas/ids/${id}`)).json()) as { schema: string };
    expect(JSON.parse(stored.schema)).toMatchObject({ name: 'Quote', namespace: 'crossvenue.test' });
  });

  it('evolves a schema compatibly: old and new readers both read both versions', async () => {
    const name = `test.quotes.${randomUUID().slice(0, 8)}`;
    const v1 = await codecFor(name, quoteV1);
    const v2 = await codecFor(name, quoteV2);
    expect(v2.codec.schemaId(v2.topic)).not.toBe(v1.codec.schemaId(v1.topic));

    const written1 = await v1.codec.encode(v1.topic, { eventId: 'old', price: '100.25' });
    expect({ ...((await v2.codec.decode(v2.topic, written1)) as object) }).toEqual({ eventId: 'old', price: '100.25', fee: null });

    const written2 = await v2.codec.encode(v2.topic, { eventId: 'new', price: '100.5', fee: '0.1' });
    expect({ ...((await v1.codec.decode(v1.topic, written2)) as object) }).toEqual({ eventId: 'new', price: '100.5' });

    const config = (await (await fetch(`${schemaRegistryUrl}/config/${subjectOf(name)}`)).json()) as { compatibilityLevel: string };
    expect(config.compatibilityLevel).toBe('BACKWARD');
  });

  it('is refused by the registry when a change breaks backward compatibility', async () => {
    const name = `test.quotes.${randomUUID().slice(0, 8)}`;
    await codecFor(name, quoteV1);
    await codecFor(name, quoteV2);
    await expect(codecFor(name, quoteBreaking)).rejects.toThrow(/incompatible/i);
    const versions = (await (await fetch(`${schemaRegistryUrl}/subjects/${subjectOf(name)}/versions`)).json()) as number[];
    expect(versions).toHaveLength(2);
  });
});
