import { decimal, NAMESPACE, ref, type Infer } from '../avro/AvroSchema.ts';
import { BalanceSchema } from './BalanceSnapshot.ts';
import { SideSchema } from './enums.ts';
import { field } from './fields.ts';
import { LiquiditySchema } from './Fill.ts';

export const VenueOrderSchema = {
  type: 'record',
  name: 'VenueOrder',
  namespace: NAMESPACE,
  doc: 'An open order as the venue lists it.',
  fields: [
    { name: 'clientOrderId', type: ['null', 'string'], default: null, doc: 'Null for an order the venue knows by its own id only.' },
    { name: 'venueOrderId', type: 'string' },
    field.instrument,
    { name: 'side', type: SideSchema },
    { name: 'quantity', type: decimal },
    { name: 'filledQuantity', type: decimal },
    { name: 'limitPrice', type: ['null', decimal], default: null },
    { name: 'rawVenueStatus', type: 'string' },
  ],
} as const;
export type VenueOrder = Infer<typeof VenueOrderSchema>;

export const VenueTradeSchema = {
  type: 'record',
  name: 'VenueTrade',
  namespace: NAMESPACE,
  doc: 'One of our executions as the venue lists it in its trade history.',
  fields: [
    { name: 'venueTradeId', type: 'string' },
    { name: 'clientOrderId', type: ['null', 'string'], default: null },
    { name: 'venueOrderId', type: 'string' },
    field.instrument,
    { name: 'side', type: ref(SideSchema) },
    { name: 'price', type: decimal },
    { name: 'quantity', type: decimal },
    { name: 'fee', type: decimal },
    { name: 'feeCurrency', type: 'string' },
    { name: 'liquidity', type: LiquiditySchema },
    { name: 'venueTimeMs', type: 'long' },
  ],
} as const;
export type VenueTrade = Infer<typeof VenueTradeSchema>;

export const MarginFiguresSchema = {
  type: 'record',
  name: 'MarginFigures',
  namespace: NAMESPACE,
  doc: 'What the venue decides for a derivatives position: leverage, the margin it holds and where it liquidates.',
  fields: [
    { name: 'leverage', type: ['null', decimal], default: null, doc: 'The leverage set on the instrument; null when the venue does not report it.' },
    { name: 'marginMode', type: ['null', 'string'], default: null, doc: "ccxt's name: 'cross' or 'isolated'; null when not reported." },
    { name: 'initialMargin', type: ['null', decimal], default: null, doc: 'The margin the position holds, in its settle currency.' },
    { name: 'liquidationPrice', type: ['null', decimal], default: null, doc: 'Null when the venue gives none (no liquidation in reach, or not reported).' },
  ],
} as const;
export type MarginFigures = Infer<typeof MarginFiguresSchema>;

export const VenuePositionSchema = {
  type: 'record',
  name: 'VenuePosition',
  namespace: NAMESPACE,
  doc: 'A derivatives position as the venue reports it.',
  fields: [
    field.instrument,
    { name: 'quantity', type: decimal, doc: 'Signed: negative is short. In the venue order unit.' },
    { name: 'entryPrice', type: ['null', decimal], default: null },
    { name: 'markPrice', type: ['null', decimal], default: null },
    { name: 'unrealizedPnl', type: ['null', decimal], default: null, doc: "At markPrice, in the settle currency, as the venue computes it." },
    { name: 'margin', type: ['null', MarginFiguresSchema], default: null, doc: 'Null when the venue reports none of them.' },
  ],
} as const;
export type VenuePosition = Infer<typeof VenuePositionSchema>;

export const VenueSnapshotSchema = {
  type: 'record',
  name: 'VenueSnapshot',
  namespace: NAMESPACE,
  doc: 'What one venue account says it has, fetched over REST for reconciliation: the venue wins.',
  fields: [
    field.eventId,
    field.venue,
    field.account,
    field.portfolio,
    { name: 'openOrders', type: { type: 'array', items: VenueOrderSchema }, doc: 'Every open order of the account.' },
    { name: 'balances', type: { type: 'array', items: BalanceSchema }, doc: 'Every asset of the account.' },
    { name: 'positions', type: { type: 'array', items: VenuePositionSchema }, doc: 'Derivatives positions; empty for spot.' },
    { name: 'trades', type: { type: 'array', items: VenueTradeSchema }, doc: 'Every execution since tradesSinceMs.' },
    { name: 'tradesSinceMs', type: 'long', doc: 'The start of the window `trades` covers completely.' },
    field.optionalVenueTimeMs,
    field.receivedAtMs,
  ],
} as const;
export type VenueSnapshot = Infer<typeof VenueSnapshotSchema>;
