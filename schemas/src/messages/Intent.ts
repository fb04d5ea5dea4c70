import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { SideSchema, TimeInForceSchema } from './enums.ts';
import { field } from './fields.ts';

export const AmountTypeSchema = {
  type: 'enum',
  name: 'AmountType',
  namespace: NAMESPACE,
  doc: 'BASE: amount is in the base asset; QUOTE: amount is the quote currency to spend or receive.',
  symbols: ['BASE', 'QUOTE'],
} as const;
export type AmountType = Infer<typeof AmountTypeSchema>;

export const TriggerTypeSchema = {
  type: 'enum',
  name: 'TriggerType',
  namespace: NAMESPACE,
  symbols: ['STOP', 'TAKE_PROFIT'],
} as const;
export type TriggerType = Infer<typeof TriggerTypeSchema>;

export const TriggerSchema = {
  type: 'record',
  name: 'Trigger',
  namespace: NAMESPACE,
  doc: 'A conditional order rests untriggered until the market trades at triggerPrice.',
  fields: [
    { name: 'type', type: TriggerTypeSchema },
    { name: 'triggerPrice', type: decimal },
  ],
} as const;
export type Trigger = Infer<typeof TriggerSchema>;

/** The standard order of DESIGN.md "Data model"; its instrument is the intent's. */
export const IntentOrderSchema = {
  type: 'record',
  name: 'IntentOrder',
  namespace: NAMESPACE,
  fields: [
    { name: 'side', type: SideSchema },
    { name: 'amount', type: decimal },
    { name: 'amountType', type: AmountTypeSchema },
    { name: 'limitPrice', type: ['null', decimal], default: null, doc: 'Null for a market order.' },
    { name: 'timeInForce', type: TimeInForceSchema },
    {
      name: 'expireAtMs',
      type: ['null', 'long'],
      default: null,
      doc: 'Set exactly when timeInForce is GTD: when the intent ends, epoch ms. A DAY intent ends at the next 00:00 UTC after its PLACE was created. The execution side holds the time (legs are sent GTC) and ends it with an EXPIRE.',
    },
    { name: 'postOnly', type: 'boolean' },
    { name: 'reduceOnly', type: 'boolean' },
    { name: 'trigger', type: ['null', TriggerSchema], default: null },
    {
      name: 'icebergQuantity',
      type: ['null', decimal],
      default: null,
      doc: 'Quantity shown in the book at a time; null shows it all.',
    },
  ],
} as const;
export type IntentOrder = Infer<typeof IntentOrderSchema>;

export const AlgoTypeSchema = {
  type: 'enum',
  name: 'AlgoType',
  namespace: NAMESPACE,
  doc: 'TWAP: the amount in equal slices of time over durationMs.',
  symbols: ['TWAP'],
} as const;
export type AlgoType = Infer<typeof AlgoTypeSchema>;

export const ExecutionAlgoSchema = {
  type: 'record',
  name: 'ExecutionAlgo',
  namespace: NAMESPACE,
  doc: "An execution algorithm over the smart order router: the intent is a parent whose slices are child intents of the execution side's own, each routed across venues.",
  fields: [
    { name: 'type', type: AlgoTypeSchema },
    { name: 'durationMs', type: 'long', doc: 'How long the schedule runs, from the route decision of its PLACE.' },
    { name: 'sliceIntervalMs', type: 'long', doc: 'Time between two slices; the schedule has ceil(durationMs / sliceIntervalMs) of them.' },
  ],
} as const;
export type ExecutionAlgo = Infer<typeof ExecutionAlgoSchema>;

export const ContingencySchema = {
  type: 'enum',
  name: 'Contingency',
  namespace: NAMESPACE,
  doc: 'ONE_CANCELS_OTHER: a fill of one cancels the rest; ALL_OR_NONE: every member executes or none is left standing.',
  symbols: ['ONE_CANCELS_OTHER', 'ALL_OR_NONE'],
} as const;
export type Contingency = Infer<typeof ContingencySchema>;

export const OrderGroupSchema = {
  type: 'record',
  name: 'OrderGroup',
  namespace: NAMESPACE,
  doc: 'Intents that share a groupId form one group, acted on once all `size` members have arrived.',
  fields: [
    { name: 'groupId', type: 'string' },
    { name: 'contingency', type: ContingencySchema },
    { name: 'size', type: 'int' },
  ],
} as const;
export type OrderGroup = Infer<typeof OrderGroupSchema>;

export const IntentActionSchema = {
  type: 'enum',
  name: 'IntentAction',
  namespace: NAMESPACE,
  doc: 'MODIFY replaces the desired state of the intent; CANCEL withdraws it. REROUTE (sent by the execution side only) asks the router to route again the quantity a rejected, lost or venue-cancelled leg left unfilled. EXPIRE (sent by the execution side only) ends a DAY or GTD intent whose time is up: its working legs are cancelled and it ends EXPIRED.',
  symbols: ['PLACE', 'MODIFY', 'CANCEL', 'REROUTE', 'EXPIRE'],
} as const;
export type IntentAction = Infer<typeof IntentActionSchema>;

export const IntentKindSchema = {
  type: 'enum',
  name: 'IntentKind',
  namespace: NAMESPACE,
  symbols: ['ORDER', 'ORDER_GROUP', 'TARGET_POSITION'],
} as const;
export type IntentKind = Infer<typeof IntentKindSchema>;

export const IntentSourceSchema = {
  type: 'enum',
  name: 'IntentSource',
  namespace: NAMESPACE,
  doc: 'EXECUTION: made by the execution side itself (re-routes, the orders of a venue flatten).',
  symbols: ['API', 'STRATEGY', 'SYNCHRONIZER', 'ARBITRAGE', 'EXECUTION'],
} as const;
export type IntentSource = Infer<typeof IntentSourceSchema>;

export const IntentSchema = {
  type: 'record',
  name: 'Intent',
  namespace: NAMESPACE,
  doc: 'What a strategy, person or script wants: desired state, kept durably, that the execution path converges toward.',
  fields: [
    field.eventId,
    { name: 'intentId', type: 'string', doc: 'Stable across PLACE, MODIFY and CANCEL of the same intent.' },
    field.portfolio,
    { ...field.optionalAccount, doc: 'The account to trade in; null lets the router choose among the portfolio accounts.' },
    { name: 'venues', type: { type: 'array', items: 'string' }, doc: 'Venues the router may use; empty means any.' },
    field.instrument,
    { name: 'action', type: IntentActionSchema },
    { name: 'kind', type: IntentKindSchema },
    { name: 'order', type: ['null', IntentOrderSchema], default: null, doc: 'Set for ORDER and ORDER_GROUP; null for CANCEL.' },
    {
      name: 'targetQuantity',
      type: ['null', decimal],
      default: null,
      doc: 'TARGET_POSITION: the signed position (negative is short) in the base asset to hold in `account`, or across the portfolio when account is null.',
    },
    {
      name: 'algo',
      type: ['null', ExecutionAlgoSchema],
      default: null,
      doc: 'ORDER only: executed by this algorithm (a TWAP) instead of at once; null for a plain order.',
    },
    { name: 'group', type: ['null', OrderGroupSchema], default: null, doc: 'Set for ORDER_GROUP.' },
    {
      name: 'reroutes',
      type: ['null', 'string'],
      default: null,
      doc: 'REROUTE: the event id of the PLACE or MODIFY message whose terms are routed again; a MODIFY since then makes the re-route void.',
    },
    {
      name: 'avoidVenues',
      type: { type: 'array', items: 'string' },
      default: [],
      doc: 'REROUTE: venues where a leg of this intent was rejected or lost; the router does not use them for this routing.',
    },
    {
      name: 'flattens',
      type: 'boolean',
      default: false,
      doc: 'Set on the orders of a FLATTEN: they may trade on the venue that the flatten halted for everything else.',
    },
    { name: 'source', type: IntentSourceSchema },
    { name: 'requestedBy', type: 'string', doc: 'Who exactly: the API user, the strategy name, the leader account being copied.' },
    { name: 'createdAtMs', type: 'long' },
  ],
} as const;
export type Intent = Infer<typeof IntentSchema>;
