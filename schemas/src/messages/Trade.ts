import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { SideSchema } from './enums.ts';
import { field } from './fields.ts';

export const TradeSchema = {
  type: 'record',
  name: 'Trade',
  namespace: NAMESPACE,
  doc: 'A public trade printed by a venue (market data, not one of our fills).',
  fields: [
    field.eventId,
    field.venue,
    field.instrument,
    field.venueSymbol,
    { name: 'venueTradeId', type: 'string', doc: "The venue's trade id; unique per venue and instrument." },
    { name: 'price', type: decimal },
    { name: 'quantity', type: decimal },
    { name: 'aggressorSide', type: SideSchema, doc: 'Side of the taker (Binance m=true, buyer is maker, means SELL).' },
    field.venueTimeMs,
    field.receivedAtMs,
  ],
} as const;
export type Trade = Infer<typeof TradeSchema>;
