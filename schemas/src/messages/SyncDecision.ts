import { decimal, NAMESPACE, type Infer } from '../avro/AvroSchema.ts';
import { SideSchema } from './enums.ts';
import { field } from './fields.ts';

/**
 * MIRROR: a leader fill or resting order copied to a follower. SKIP: nothing sent (too small for
 * the venue, a cap, paused, no price, no mapping), with the reason; the quantity stays as residual.
 * RESIDUAL_TRADE: a mirror that also carried residuals accumulated by earlier skips. CORRECTION: the
 * follower's position drifted from its target and an order brings it back. ORPHAN_CANCEL: a
 * follower's resting order whose leader order is gone, cancelled after the grace period. PAUSE and
 * RESUME: the follower was paused or resumed by a control command. CONFIGURE: the follower runs
 * this configuration (from the config file at start, or a control command); REMOVE: a control
 * command removed it; REFUSE: a control command's configuration was refused, nothing of it applied.
 * LEVERAGE: the synchronizer asked the follower account's connector to set its leverage on an
 * instrument (the connector's outcome is an ops.alerts LEVERAGE_SET or LEVERAGE_REFUSED).
 */
export const SyncDecisionKindSchema = {
  type: 'enum',
  name: 'SyncDecisionKind',
  namespace: NAMESPACE,
  symbols: ['MIRROR', 'SKIP', 'RESIDUAL_TRADE', 'CORRECTION', 'ORPHAN_CANCEL', 'PAUSE', 'RESUME', 'CONFIGURE', 'REMOVE', 'REFUSE', 'LEVERAGE'],
} as const;
export type SyncDecisionKind = Infer<typeof SyncDecisionKindSchema>;

export const SyncDecisionSchema = {
  type: 'record',
  name: 'SyncDecision',
  namespace: NAMESPACE,
  doc: 'One decision of the trade synchronizer (copy trading) for one follower, with the leader event it came from (audited).',
  fields: [
    { ...field.eventId, doc: 'Derived from the leader event and the follower, so a redelivered leader event decides the same record again.' },
    { name: 'follower', type: 'string', doc: 'The follower name, as configured.' },
    { name: 'kind', type: SyncDecisionKindSchema },
    { name: 'leaderVenue', type: 'string' },
    { name: 'leaderAccount', type: 'string' },
    {
      name: 'leaderEvent',
      type: ['null', 'string'],
      default: null,
      doc: 'The leader fill (venue:account:venueTradeId) or order (venue:account:clientOrderId) it came from; null for a correction, an orphan cancel, a pause.',
    },
    { name: 'leaderInstrument', type: ['null', 'string'], default: null },
    { ...field.portfolio, doc: 'The follower portfolio.' },
    { ...field.account, doc: 'The follower account.' },
    { ...field.venue, doc: 'The follower venue.' },
    { ...field.instrument, doc: 'The follower instrument (after mapping).' },
    { name: 'side', type: ['null', SideSchema], default: null },
    { name: 'quantity', type: ['null', decimal], default: null, doc: 'Sent, in the base asset; for a SKIP, what could not be sent.' },
    { name: 'limitPrice', type: ['null', decimal], default: null, doc: 'Set for a mirrored resting order.' },
    { name: 'targetQuantity', type: ['null', decimal], default: null, doc: 'The position the follower should hold under its sizing mode, in the base asset.' },
    { name: 'actualQuantity', type: ['null', decimal], default: null, doc: 'The position the follower held, as the positions worker last said.' },
    { name: 'residualQuantity', type: ['null', decimal], default: null, doc: 'Left to trade once tradable, after this decision.' },
    { name: 'intentId', type: ['null', 'string'], default: null, doc: 'The follower intent it published, if any.' },
    { name: 'reason', type: 'string' },
    { name: 'decidedAtMs', type: 'long' },
    {
      name: 'configuration',
      type: ['null', 'string'],
      default: null,
      doc: 'CONFIGURE: the follower\'s configuration as JSON, in the config file\'s followers: entry shape; null for every other kind.',
    },
  ],
} as const;
export type SyncDecision = Infer<typeof SyncDecisionSchema>;
