import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { field } from './fields.ts';

export const FundingRateSchema = {
  type: 'record',
  name: 'FundingRate',
  namespace: NAMESPACE,
  doc: 'The funding rate of one perpetual swap on one venue.',
  fields: [
    field.eventId,
    field.venue,
    field.instrument,
    field.venueSymbol,
    {
      name: 'rate',
      type: decimal,
      doc: 'Fraction of the position value paid at nextFundingTimeMs (0.0001 = 0.01 %); longs pay shorts when positive.',
    },
    {
      name: 'nextFundingTimeMs',
      type: 'long',
      doc: 'When `rate` is settled, epoch ms (Binance nextFundingTime, OKX fundingTime).',
    },
    {
      name: 'fundingIntervalMs',
      type: ['null', 'long'],
      default: null,
      doc: 'Time between settlements (1 h, 4 h, 8 h vary by venue and market); needed to compare rates across venues.',
    },
    { name: 'markPrice', type: ['null', decimal], default: null },
    { name: 'indexPrice', type: ['null', decimal], default: null },
    field.venueTimeMs,
    field.receivedAtMs,
  ],
} as const;
export type FundingRate = Infer<typeof FundingRateSchema>;
