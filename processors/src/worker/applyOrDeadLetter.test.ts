import { randomUUID } from 'node:crypto';
import { InvalidInputError, LocalCodec, TOPICS, type Fill } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { createLogger, DEAD_LETTER_HEADERS, InProcessBus, MessageBus, type ConsumedRecord, type Delivered } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { describe, expect, it } from 'vitest';
import { applyOrDeadLetter } from './applyOrDeadLetter.ts';

const logger = createLogger('test', { level: 'silent' });
const example = EXAMPLES.find(({ schema }) => schema === TOPICS.fills.schema)!.value as Fill;

/** Three fills of one portfolio (one partition, in order) as a worker receives them; each carries a header of its own. */
async function deliveredFills(): Promise<{ messages: MessageBus; batch: Array<Delivered<Fill>> }> {
  const codec = new LocalCodec();
  const messages = new MessageBus(new InProcessBus(), codec, logger);
  await messages.prepare([TOPICS.fills]);
  const records = ['t1', 'bad', 't3'].map(async (id) => {
    const value = await codec.encode(TOPICS.fills, { ...example, eventId: `fill-${id}`, venueTradeId: id });
    return { topic: TOPICS.fills.name, key: example.portfolio, value, headers: { trace: id } };
  });
  await messages.bus.publish(await Promise.all(records));
  const batch: Array<Delivered<Fill>> = [];
  const consumer = await messages.subscribe({ groupId: 'worker', topics: [TOPICS.fills], fromBeginning: true, handle: async (delivered) => void batch.push(...delivered) });
  await waitFor('three fills', () => batch.length === 3);
  await consumer.stop();
  return { messages, batch };
}

async function deadLetters(messages: MessageBus, count: number): Promise<ConsumedRecord[]> {
  const letters: ConsumedRecord[] = [];
  const consumer = await messages.bus.consume({
    groupId: `reader-${randomUUID()}`,
    topics: [TOPICS.fills.deadLetter.name],
    fromBeginning: true,
    handleBatch: async (batch) => void letters.push(...batch.records),
  });
  await waitFor(`${count} dead letters`, () => letters.length >= count);
  await consumer.stop();
  return letters;
}

/** Applies a fill; the one with trade id "bad" breaks a domain rule. */
function applyInto(applied: string[]) {
  return ({ value }: Delivered<Fill>) => {
    if (value.venueTradeId === 'bad') throw new InvalidInputError(`fill ${value.venueTradeId}: quantity 0 must be positive`);
    applied.push(value.venueTradeId);
  };
}

describe('applyOrDeadLetter', () => {
  it('applies the valid records in order and dead-letters the invalid one with its original bytes, headers and the reason', async () => {
    const { messages, batch } = await deliveredFills();
    const applied: string[] = [];
    await applyOrDeadLetter({ messages, logger }, TOPICS.fills, batch, applyInto(applied));

    expect(applied).toEqual(['t1', 't3']);
    const [letter, ...more] = await deadLetters(messages, 1);
    expect(more).toEqual([]);
    expect(letter!.value).toEqual(batch[1]!.raw);
    expect(letter!.key).toBe(example.portfolio);
    expect(letter!.headers).toMatchObject({
      trace: 'bad',
      [DEAD_LETTER_HEADERS.reason]: 'fill bad: quantity 0 must be positive',
      [DEAD_LETTER_HEADERS.sourceTopic]: TOPICS.fills.name,
      [DEAD_LETTER_HEADERS.sourcePartition]: String(batch[1]!.partition),
      [DEAD_LETTER_HEADERS.sourceOffset]: batch[1]!.offset,
    });
  });

  it('throws any other error, so the bus delivers the batch again', async () => {
    const { messages, batch } = await deliveredFills();
    const applied: string[] = [];
    const apply = ({ value }: Delivered<Fill>) => {
      if (value.venueTradeId === 'bad') throw new Error('a bug, not bad input');
      applied.push(value.venueTradeId);
    };
    await expect(applyOrDeadLetter({ messages, logger }, TOPICS.fills, batch, apply)).rejects.toThrow('a bug, not bad input');
    expect(applied).toEqual(['t1']);
  });

  it('applies replayed records again but does not dead-letter one a previous run already has', async () => {
    const { messages, batch } = await deliveredFills();
    const replayed: string[] = [];
    await applyOrDeadLetter({ messages, logger }, TOPICS.fills, batch, applyInto(replayed), () => true);
    // The live run after it sends the only letter.
    await applyOrDeadLetter({ messages, logger }, TOPICS.fills, batch, applyInto([]));

    expect(replayed).toEqual(['t1', 't3']);
    expect(await deadLetters(messages, 1)).toHaveLength(1);
  });
});
