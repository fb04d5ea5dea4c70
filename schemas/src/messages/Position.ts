import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { field } from './fields.ts';
import { MarginFiguresSchema } from './VenueSnapshot.ts';

export const FeeTotalSchema = {
  type: 'record',
  name: 'FeeTotal',
  namespace: NAMESPACE,
  fields: [
    { name: 'currency', type: 'string' },
    { name: 'amount', type: decimal, doc: 'Sum of the fees paid in this currency; negative when rebates exceed fees.' },
  ],
} as const;
export type FeeTotal = Infer<typeof FeeTotalSchema>;

export const FillIdentitySchema = {
  type: 'record',
  name: 'FillIdentity',
  namespace: NAMESPACE,
  doc: 'What makes a fill unique: a fill with the same identity is never applied twice.',
  fields: [field.venue, field.account, { name: 'venueTradeId', type: 'string' }],
} as const;
export type FillIdentity = Infer<typeof FillIdentitySchema>;

export const PositionSchema = {
  type: 'record',
  name: 'Position',
  namespace: NAMESPACE,
  doc: "The position of one account in one instrument, folded from fills (compacted topic: latest per key). Its side is the sign of quantity. A derivative's markPrice and margin are the venue's own figures from the account's latest venue snapshot; they never change quantity, entry or PnL, which only fills and funding payments make.",
  fields: [
    field.eventId,
    field.portfolio,
    field.account,
    field.venue,
    field.instrument,
    { name: 'quantity', type: decimal, doc: 'Signed: negative is short.' },
    { name: 'averageEntryPrice', type: ['null', decimal], default: null, doc: 'Null when flat.' },
    { name: 'realizedPnl', type: decimal, doc: 'In quoteCurrency, before fees (fees are listed apart, per currency).' },
    { name: 'unrealizedPnl', type: ['null', decimal], default: null, doc: 'quantity x (markPrice - averageEntryPrice), from our fills at the venue mark; null without a mark.' },
    { name: 'markPrice', type: ['null', decimal], default: null, doc: "The venue's mark price of a derivative (its latest venue snapshot); null for spot." },
    { name: 'quoteCurrency', type: 'string', doc: 'The currency of prices and PnL.' },
    { name: 'fees', type: { type: 'array', items: FeeTotalSchema } },
    {
      name: 'funding',
      type: decimal,
      default: '0',
      doc: 'Funding received (positive) or paid on a perpetual since the position began, in quoteCurrency (its settle currency): each venue payment once (exec.funding-payments).',
    },
    {
      name: 'margin',
      type: ['null', MarginFiguresSchema],
      default: null,
      doc: "A derivative's leverage, margin mode, initial margin and liquidation price as the venue reported them in the account's latest venue snapshot; null for spot, before a snapshot, or when the venue lists the position flat.",
    },
    { name: 'lastFill', type: ['null', FillIdentitySchema], default: null, doc: 'The last fill applied; null before any.' },
    { name: 'updatedAtMs', type: 'long' },
  ],
} as const;
export type Position = Infer<typeof PositionSchema>;
