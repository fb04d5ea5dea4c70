import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { OrderTypeSchema, SideSchema, TimeInForceSchema } from './enums.ts';
import { field } from './fields.ts';

export const OrderCommandTypeSchema = {
  type: 'enum',
  name: 'OrderCommandType',
  namespace: NAMESPACE,
  symbols: ['PLACE', 'CANCEL', 'AMEND'],
} as const;
export type OrderCommandType = Infer<typeof OrderCommandTypeSchema>;

/** Quantities are in the base asset, a linear contract's too: the connector converts them to the venue's contracts (connectors/src/ccxt/contractUnits.ts). */
export const OrderCommandSchema = {
  type: 'record',
  name: 'OrderCommand',
  namespace: NAMESPACE,
  doc: 'An approved instruction to one venue connector. CANCEL and AMEND carry the whole order they act on.',
  fields: [
    field.eventId,
    { name: 'commandId', type: 'string' },
    { name: 'type', type: OrderCommandTypeSchema },
    field.intentId,
    { name: 'leg', type: 'int' },
    { name: 'attempt', type: 'int', doc: 'Raised only after the venue confirmed the previous attempt does not exist.' },
    field.clientOrderId,
    field.portfolio,
    field.venue,
    field.account,
    field.instrument,
    { name: 'side', type: SideSchema },
    { name: 'quantity', type: decimal },
    { name: 'limitPrice', type: ['null', decimal], default: null },
    { name: 'orderType', type: OrderTypeSchema },
    { name: 'timeInForce', type: TimeInForceSchema },
    { name: 'expireAtMs', type: ['null', 'long'], default: null, doc: 'Set exactly when timeInForce is GTD.' },
    { name: 'triggerPrice', type: ['null', decimal], default: null, doc: 'Set for STOP_* and TAKE_PROFIT_* orders.' },
    { name: 'postOnly', type: 'boolean' },
    { name: 'reduceOnly', type: 'boolean' },
    { name: 'icebergQuantity', type: ['null', decimal], default: null },
    { name: 'newQuantity', type: ['null', decimal], default: null, doc: 'AMEND: the new total quantity; null keeps it.' },
    { name: 'newLimitPrice', type: ['null', decimal], default: null, doc: 'AMEND: the new limit price; null keeps it.' },
    field.venueOrderId,
    { name: 'createdAtMs', type: 'long' },
    {
      name: 'routeDecisionId',
      type: ['null', 'string'],
      default: null,
      doc: 'PLACE: the route decision this leg was planned by (a restarted execution worker knows its sent legs by it); null otherwise.',
    },
  ],
} as const;
export type OrderCommand = Infer<typeof OrderCommandSchema>;
