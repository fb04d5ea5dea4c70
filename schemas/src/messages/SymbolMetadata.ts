import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { OrderTypeSchema, TimeInForceSchema } from './enums.ts';
import { field } from './fields.ts';

export const AssetTypeSchema = {
  type: 'enum',
  name: 'AssetType',
  namespace: NAMESPACE,
  symbols: ['SPOT', 'MARGIN', 'PERP', 'FUTURE', 'OPTION'],
} as const;
export type AssetType = Infer<typeof AssetTypeSchema>;

export const OptionKindSchema = {
  type: 'enum',
  name: 'OptionKind',
  namespace: NAMESPACE,
  symbols: ['CALL', 'PUT'],
} as const;
export type OptionKind = Infer<typeof OptionKindSchema>;

/**
 * Quantities here are in the base asset, a linear contract's too: the venue's minimum, maximum and
 * step in contracts times the contract size (the connector converts orders and evidence at the
 * venue edge). Only an inverse contract's are in contracts, which the router does not route.
 * Every limit is null where the venue sets none.
 */
export const SymbolMetadataSchema = {
  type: 'record',
  name: 'SymbolMetadata',
  namespace: NAMESPACE,
  doc: 'What one market on one venue accepts: amount and price rules, order capabilities and fees.',
  fields: [
    field.eventId,
    field.venue,
    field.instrument,
    field.venueSymbol,
    { name: 'assetType', type: AssetTypeSchema },
    { name: 'base', type: 'string' },
    { name: 'quote', type: 'string' },
    { name: 'settle', type: ['null', 'string'], default: null, doc: 'Settlement currency of a derivative; null for spot and margin.' },
    { name: 'active', type: 'boolean', doc: 'False while the venue halts trading (Binance status BREAK, OKX state suspend).' },
    {
      name: 'contractSize',
      type: ['null', decimal],
      default: null,
      doc: 'Value of one contract: in the base asset for linear contracts and options, in the quote currency for inverse ones; null for spot. Informational for a linear contract, whose quantities here are already in the base asset.',
    },
    {
      name: 'inverse',
      type: 'boolean',
      doc: 'Contract sized in the quote currency and settled in the base (OKX ctType inverse, Binance COIN-M).',
    },
    { name: 'expiryMs', type: ['null', 'long'], default: null, doc: 'Expiry of a future or option, epoch ms.' },
    { name: 'strike', type: ['null', decimal], default: null },
    { name: 'optionKind', type: ['null', OptionKindSchema], default: null },
    { name: 'minQuantity', type: ['null', decimal], default: null, doc: 'In the base asset (contracts for an inverse contract).' },
    { name: 'maxQuantity', type: ['null', decimal], default: null, doc: 'In the base asset (contracts for an inverse contract).' },
    {
      name: 'maxMarketQuantity',
      type: ['null', decimal],
      default: null,
      doc: 'A tighter maximum for market orders (Binance MARKET_LOT_SIZE, OKX maxMktSz), in the base asset (contracts for an inverse contract).',
    },
    { name: 'quantityStep', type: ['null', decimal], default: null, doc: 'Every quantity must be a multiple of it (lot size), in the base asset: the lot of a contract market times its contract size (contracts for an inverse contract).' },
    { name: 'minPrice', type: ['null', decimal], default: null },
    { name: 'maxPrice', type: ['null', decimal], default: null },
    { name: 'priceTick', type: ['null', decimal], default: null, doc: 'Every price must be a multiple of it.' },
    {
      name: 'minNotional',
      type: ['null', decimal],
      default: null,
      doc: 'Minimum price x quantity (quantity in the base asset), in the quote currency.',
    },
    { name: 'maxNotional', type: ['null', decimal], default: null },
    {
      name: 'orderTypes',
      type: { type: 'array', items: OrderTypeSchema },
      doc: 'Order types the venue accepts here; conditional orders are supported when a STOP_* or TAKE_PROFIT_* type is listed.',
    },
    { name: 'timeInForce', type: { type: 'array', items: TimeInForceSchema } },
    { name: 'postOnly', type: 'boolean' },
    { name: 'reduceOnly', type: 'boolean' },
    { name: 'iceberg', type: 'boolean' },
    {
      name: 'makerFee',
      type: ['null', decimal],
      default: null,
      doc: 'Fee rate as a fraction of notional (0.001 = 0.1 %; negative is a rebate); null until known, since it depends on the account tier.',
    },
    { name: 'takerFee', type: ['null', decimal], default: null },
    field.receivedAtMs,
  ],
} as const;
export type SymbolMetadata = Infer<typeof SymbolMetadataSchema>;
