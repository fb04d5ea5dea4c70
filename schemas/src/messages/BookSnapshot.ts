import { decimal, NAMESPACE, ref, type Infer } from '../avro/AvroSchema.ts';

export const PriceLevelSchema = {
  type: 'record',
  name: 'PriceLevel',
  namespace: NAMESPACE,
  fields: [
    { name: 'price', type: decimal },
    { name: 'quantity', type: decimal },
  ],
} as const;
export type PriceLevel = Infer<typeof PriceLevelSchema>;

export const BookSnapshotSchema = {
  type: 'record',
  name: 'BookSnapshot',
  namespace: NAMESPACE,
  doc: 'A full order book of one instrument on one venue, normalized from the venue payload.',
  fields: [
    { name: 'eventId', type: 'string', doc: 'Unique per event; the audit log de-duplicates on it.' },
    { name: 'venue', type: 'string' },
    { name: 'instrument', type: 'string', doc: 'Unified symbol as ccxt writes it: BASE/QUOTE or BASE/QUOTE:SETTLE.' },
    { name: 'venueSymbol', type: 'string', doc: 'The symbol as the venue spells it (BTCUSDT, BTC-USDT).' },
    { name: 'sequence', type: ['null', 'long'], default: null, doc: 'Venue book sequence (Binance lastUpdateId, OKX seqId).' },
    { name: 'venueTimeMs', type: ['null', 'long'], default: null, doc: 'Venue event time, when the venue sends one.' },
    { name: 'receivedAtMs', type: 'long', doc: 'When our connector received the payload.' },
    { name: 'bids', type: { type: 'array', items: PriceLevelSchema }, doc: 'Best (highest) first.' },
    { name: 'asks', type: { type: 'array', items: ref(PriceLevelSchema) }, doc: 'Best (lowest) first.' },
  ],
} as const;
export type BookSnapshot = Infer<typeof BookSnapshotSchema>;
