import { NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { field } from './fields.ts';

export const ControlCommandTypeSchema = {
  type: 'enum',
  name: 'ControlCommandType',
  namespace: NAMESPACE,
  doc: 'KILL_SWITCH: stop (engaged) or release new orders in scope. CANCEL_ALL: cancel the working orders in scope and route nothing there until RESUME (GLOBAL also withdraws every intent). FLATTEN: CANCEL_ALL of a VENUE or ACCOUNT plus one reduce-only market order per open position there. RESUME: lift the CANCEL_ALL or FLATTEN of the same scope.',
  symbols: ['KILL_SWITCH', 'CONFIG_CHANGE', 'CANCEL_ALL', 'FLATTEN', 'RESUME'],
} as const;
export type ControlCommandType = Infer<typeof ControlCommandTypeSchema>;

export const ControlScopeSchema = {
  type: 'enum',
  name: 'ControlScope',
  namespace: NAMESPACE,
  doc: 'What the command applies to; the matching portfolio, venue or account field names which one.',
  symbols: ['GLOBAL', 'PORTFOLIO', 'VENUE', 'ACCOUNT'],
} as const;
export type ControlScope = Infer<typeof ControlScopeSchema>;

export const ControlCommandSchema = {
  type: 'record',
  name: 'ControlCommand',
  namespace: NAMESPACE,
  doc: 'A kill switch or configuration change issued by a person or a check (audited).',
  fields: [
    field.eventId,
    { name: 'type', type: ControlCommandTypeSchema },
    { name: 'scope', type: ControlScopeSchema },
    { name: 'portfolio', type: ['null', 'string'], default: null },
    field.optionalVenue,
    { ...field.optionalAccount, doc: 'Set for ACCOUNT scope, with its venue.' },
    {
      name: 'engaged',
      type: ['null', 'boolean'],
      default: null,
      doc: 'KILL_SWITCH: true stops new orders, false releases; null otherwise.',
    },
    { name: 'cancelOpenOrders', type: 'boolean', doc: 'Also cancel every open order in scope.' },
    { name: 'configKey', type: ['null', 'string'], default: null },
    { name: 'configValue', type: ['null', 'string'], default: null, doc: 'The new value as JSON text.' },
    { name: 'issuedBy', type: 'string' },
    { name: 'reason', type: 'string' },
    { name: 'issuedAtMs', type: 'long' },
  ],
} as const;
export type ControlCommand = Infer<typeof ControlCommandSchema>;
