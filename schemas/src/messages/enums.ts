import { NAMESPACE, type Infer } from '../avro/AvroSchema.ts';

/**
 * Enums used by more than one message. Each is one named Avro type, so a message that uses one twice
 * refers to the second use with `ref()`.
 */

export const SideSchema = {
  type: 'enum',
  name: 'Side',
  namespace: NAMESPACE,
  symbols: ['BUY', 'SELL'],
} as const;
export type Side = Infer<typeof SideSchema>;

export const TimeInForceSchema = {
  type: 'enum',
  name: 'TimeInForce',
  namespace: NAMESPACE,
  doc: 'GTC good till cancelled, IOC immediate or cancel, FOK fill or kill, DAY until the venue day ends, GTD until a given time.',
  symbols: ['GTC', 'IOC', 'FOK', 'DAY', 'GTD'],
} as const;
export type TimeInForce = Infer<typeof TimeInForceSchema>;

export const OrderTypeSchema = {
  type: 'enum',
  name: 'OrderType',
  namespace: NAMESPACE,
  doc: 'What the venue is asked to do; STOP_* and TAKE_PROFIT_* rest untriggered until their trigger price trades.',
  symbols: ['MARKET', 'LIMIT', 'STOP_MARKET', 'STOP_LIMIT', 'TAKE_PROFIT_MARKET', 'TAKE_PROFIT_LIMIT'],
} as const;
export type OrderType = Infer<typeof OrderTypeSchema>;
