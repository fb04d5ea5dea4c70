/**
 * Fields that many messages share, defined once so that their names, types and docs cannot drift
 * between messages. Each is an `as const` field, so a message that lists it still infers its type.
 */
export const field = {
  eventId: { name: 'eventId', type: 'string', doc: 'Unique per event; the audit log de-duplicates on it.' },
  venue: { name: 'venue', type: 'string', doc: 'Venue id as ccxt spells it: binance, okx.' },
  optionalVenue: { name: 'venue', type: ['null', 'string'], default: null, doc: 'Venue id, or null when not about one venue.' },
  account: { name: 'account', type: 'string', doc: 'Our id of the trading account at the venue.' },
  optionalAccount: { name: 'account', type: ['null', 'string'], default: null, doc: 'Account id, or null when not about one account.' },
  portfolio: { name: 'portfolio', type: 'string', doc: 'The consistency unit: accounts that share limits; execution topics are keyed by it.' },
  instrument: { name: 'instrument', type: 'string', doc: 'Unified symbol as ccxt writes it: BASE/QUOTE or BASE/QUOTE:SETTLE.' },
  venueSymbol: { name: 'venueSymbol', type: 'string', doc: 'The symbol as the venue spells it (BTCUSDT, BTC-USDT).' },
  intentId: { name: 'intentId', type: 'string' },
  clientOrderId: {
    name: 'clientOrderId',
    type: 'string',
    doc: 'Derived from (intent id, leg, attempt); the venue knows the order by it before it has acknowledged it.',
  },
  venueOrderId: {
    name: 'venueOrderId',
    type: ['null', 'string'],
    default: null,
    doc: "The venue's order id; null until the venue has acknowledged the order.",
  },
  venueTimeMs: { name: 'venueTimeMs', type: 'long', doc: 'Event time stamped by the venue, epoch ms.' },
  optionalVenueTimeMs: {
    name: 'venueTimeMs',
    type: ['null', 'long'],
    default: null,
    doc: 'Event time stamped by the venue, epoch ms, when the venue sends one.',
  },
  receivedAtMs: { name: 'receivedAtMs', type: 'long', doc: 'When our connector received the payload, epoch ms.' },
} as const;
