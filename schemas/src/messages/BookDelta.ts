import { NAMESPACE, ref, type Infer } from '../avro/AvroSchema.ts';
import { PriceLevelSchema } from './BookSnapshot.ts';
import { field } from './fields.ts';

/**
 * Sequences as each venue numbers its book updates:
 * - Binance spot: U..u per delta; the next delta starts at u + 1. Binance futures also send pu,
 *   the previous delta's u.
 * - OKX: seqId per message and prevSeqId, the previous message's seqId (first = last = seqId).
 * - Bybit: u per message (first = last = u).
 * - Kraken, and OKX before it had seqId (the 2022 recordings): no numbers, only a CRC32 checksum
 *   of the top of the book, so the sequences are null and the checksum proves continuity.
 */
export const BookDeltaSchema = {
  type: 'record',
  name: 'BookDelta',
  namespace: NAMESPACE,
  doc: 'Changes to one order book. Apply only on an unbroken sequence; on a gap, resync from a BookSnapshot.',
  fields: [
    field.eventId,
    field.venue,
    field.instrument,
    field.venueSymbol,
    { name: 'firstSequence', type: ['null', 'long'], default: null, doc: 'First venue update id in this delta (Binance U).' },
    { name: 'lastSequence', type: ['null', 'long'], default: null, doc: 'Last venue update id in this delta (Binance u, OKX seqId).' },
    {
      name: 'previousSequence',
      type: ['null', 'long'],
      default: null,
      doc: 'lastSequence of the delta before, where the venue sends it (Binance futures pu, OKX prevSeqId).',
    },
    {
      name: 'checksum',
      type: ['null', 'long'],
      default: null,
      doc: 'Venue checksum of the book after this delta (OKX signed, Kraken unsigned CRC32).',
    },
    field.venueTimeMs,
    field.receivedAtMs,
    { name: 'bids', type: { type: 'array', items: PriceLevelSchema }, doc: 'Changed bid levels; quantity "0" deletes the level.' },
    {
      name: 'asks',
      type: { type: 'array', items: ref(PriceLevelSchema) },
      doc: 'Changed ask levels; quantity "0" deletes the level.',
    },
  ],
} as const;
export type BookDelta = Infer<typeof BookDeltaSchema>;
