import type { Infer, RecordSchema } from '../avro/AvroSchema.ts';
import * as m from './index.ts';

/**
 * One realistic value of every top-level message, with every optional field set, typed by the
 * inferred message type. The round-trip tests use them; codec and bus tests may too.
 */
const intentId = '01JD3K8ZQ4W6V7X9Y2B5N8M1PA';
const clientOrderId = '5f1c0e8a9b7d3c2e14a6f0b8d9000101';

const bookDelta: m.BookDelta = {
  eventId: 'binance:BTCUSDT:book:1633998511132',
  venue: 'binance',
  instrument: 'BTC/USDT',
  venueSymbol: 'BTCUSDT',
  firstSequence: 14_123_400_101,
  lastSequence: 14_123_400_117,
  previousSequence: 14_123_400_100,
  checksum: -1_839_473_012,
  venueTimeMs: 1_633_998_511_098,
  receivedAtMs: 1_633_998_511_132,
  bids: [
    { price: '57012.34', quantity: '0.51234' },
    { price: '57012.33', quantity: '0' },
  ],
  asks: [{ price: '57012.35', quantity: '1.2' }],
};

const trade: m.Trade = {
  eventId: 'okx:BTC-USDT:trade:310129876',
  venue: 'okx',
  instrument: 'BTC/USDT',
  venueSymbol: 'BTC-USDT',
  venueTradeId: '310129876',
  price: '29105.1',
  quantity: '0.00214',
  aggressorSide: 'SELL',
  venueTimeMs: 1_652_458_996_201,
  receivedAtMs: 1_652_458_996_256,
};

const fundingRate: m.FundingRate = {
  eventId: 'binanceusdm:BTCUSDT:funding:1652486400000',
  venue: 'binanceusdm',
  instrument: 'BTC/USDT:USDT',
  venueSymbol: 'BTCUSDT',
  rate: '-0.00012345',
  nextFundingTimeMs: 1_652_486_400_000,
  fundingIntervalMs: 28_800_000,
  markPrice: '29110.52',
  indexPrice: '29118.07441861',
  venueTimeMs: 1_652_458_996_000,
  receivedAtMs: 1_652_458_996_031,
};

const venueHealth: m.VenueHealth = {
  eventId: 'health:okx:acct-okx-1:1652458996000',
  venue: 'okx',
  account: 'acct-okx-1',
  state: 'DEGRADED',
  bookStalenessMs: 6_200,
  userStreamStalenessMs: 900,
  errorRate: '0.04',
  rejectRate: '0',
  latencyP50Ms: 85,
  latencyP99Ms: 1_450,
  windowMs: 60_000,
  reason: 'book stale 6200 ms > 5000 ms',
  observedAtMs: 1_652_458_996_000,
};

const symbolMetadata: m.SymbolMetadata = {
  eventId: 'meta:okx:BTC-USD-220520-22000-C',
  venue: 'okx',
  instrument: 'BTC/USD:BTC-220520-22000-C',
  venueSymbol: 'BTC-USD-220520-22000-C',
  assetType: 'OPTION',
  base: 'BTC',
  quote: 'USD',
  settle: 'BTC',
  active: true,
  contractSize: '0.01',
  inverse: false,
  expiryMs: 1_653_033_600_000,
  strike: '22000',
  optionKind: 'CALL',
  minQuantity: '1',
  maxQuantity: '1000000',
  maxMarketQuantity: '5000',
  quantityStep: '1',
  minPrice: '0.0005',
  maxPrice: '10',
  priceTick: '0.0005',
  minNotional: '0.0001',
  maxNotional: '1000',
  orderTypes: ['LIMIT'],
  timeInForce: ['GTC', 'IOC', 'FOK'],
  postOnly: true,
  reduceOnly: false,
  iceberg: false,
  makerFee: '0.0002',
  takerFee: '0.0003',
  receivedAtMs: 1_652_458_997_052,
};

const intent: m.Intent = {
  eventId: `intent:${intentId}:1`,
  intentId,
  portfolio: 'pf-arb',
  account: 'acct-binance-1',
  venues: ['binance', 'okx'],
  instrument: 'BTC/USDT',
  action: 'PLACE',
  kind: 'ORDER_GROUP',
  order: {
    side: 'BUY',
    amount: '0.25',
    amountType: 'BASE',
    limitPrice: '29100.5',
    timeInForce: 'GTD',
    expireAtMs: 1_652_462_596_000,
    postOnly: false,
    reduceOnly: false,
    trigger: { type: 'STOP', triggerPrice: '29000' },
    icebergQuantity: '0.05',
  },
  targetQuantity: '-1.5',
  group: { groupId: 'grp-7', contingency: 'ALL_OR_NONE', size: 2 },
  reroutes: null,
  avoidVenues: [],
  flattens: false,
  source: 'ARBITRAGE',
  requestedBy: 'funding-arb-btc',
  createdAtMs: 1_652_458_996_000,
};

const routeDecision: m.RouteDecision = {
  eventId: `route:${intent.eventId}`,
  intentId,
  portfolio: 'pf-arb',
  instrument: 'BTC/USDT',
  side: 'BUY',
  quantity: '0.25',
  candidates: [
    {
      venue: 'binance',
      account: 'acct-binance-1',
      availableQuantity: '0.2',
      expectedAveragePrice: '29100.12',
      expectedFee: '5.820024',
      latencyPenalty: '0.3',
      stalenessPenalty: '0',
      healthPenalty: '0',
      expectedTotalCost: '5826.144024',
      chosen: true,
      reason: 'cheapest',
    },
    {
      venue: 'okx',
      account: 'acct-okx-1',
      availableQuantity: '0',
      expectedAveragePrice: null,
      expectedFee: '0',
      latencyPenalty: '0',
      stalenessPenalty: '12.5',
      healthPenalty: '50',
      expectedTotalCost: '62.5',
      chosen: false,
      reason: 'venue DEGRADED',
    },
  ],
  legs: [
    {
      leg: 0,
      venue: 'binance',
      account: 'acct-binance-1',
      quantity: '0.2',
      limitPrice: '29100.5',
      expectedAveragePrice: '29100.12',
      expectedFee: '5.820024',
    },
  ],
  totalExpectedCost: '5826.144024',
  costCurrency: 'USDT',
  arrivalMid: '29099.995',
  decidedAtMs: 1_652_458_996_004,
  intent,
};

const orderCommand: m.OrderCommand = {
  eventId: `cmd:${clientOrderId}:amend`,
  commandId: 'cmd-000042',
  type: 'AMEND',
  intentId,
  leg: 1,
  attempt: 1,
  clientOrderId,
  portfolio: 'pf-arb',
  venue: 'binance',
  account: 'acct-binance-1',
  instrument: 'BTC/USDT',
  side: 'BUY',
  quantity: '0.2',
  limitPrice: '29100.5',
  orderType: 'STOP_LIMIT',
  timeInForce: 'GTD',
  expireAtMs: 1_652_462_596_000,
  triggerPrice: '29000',
  postOnly: false,
  reduceOnly: true,
  icebergQuantity: '0.05',
  newQuantity: '0.15',
  newLimitPrice: '29090',
  venueOrderId: '8389765512345678',
  createdAtMs: 1_652_458_996_010,
  routeDecisionId: null,
};

const orderEvent: m.OrderEvent = {
  eventId: `order:${clientOrderId}:3`,
  clientOrderId,
  venueOrderId: '8389765512345678',
  intentId,
  portfolio: 'pf-arb',
  venue: 'binance',
  account: 'acct-binance-1',
  instrument: 'BTC/USDT',
  side: 'BUY',
  previousState: 'NEW',
  state: 'PARTIALLY_FILLED',
  event: 'PARTIALLY_FILLED',
  rawVenueStatus: 'PARTIALLY_FILLED',
  filledQuantity: '0.05',
  remainingQuantity: '0.15',
  limitPrice: '29100.5',
  averagePrice: '29100.12',
  reason: 'TRADE',
  venueTimeMs: 1_652_458_996_101,
  receivedAtMs: 1_652_458_996_119,
  source: 'VENUE',
};

const fill: m.Fill = {
  eventId: 'fill:binance:acct-binance-1:1209876543',
  venue: 'binance',
  account: 'acct-binance-1',
  portfolio: 'pf-arb',
  venueTradeId: '1209876543',
  clientOrderId,
  venueOrderId: '8389765512345678',
  intentId,
  instrument: 'BTC/USDT',
  side: 'BUY',
  price: '29100.12',
  quantity: '0.05',
  fee: '0.00005',
  feeCurrency: 'BTC',
  liquidity: 'TAKER',
  venueTimeMs: 1_652_458_996_101,
  receivedAtMs: 1_652_458_996_119,
  source: 'RECONCILIATION',
};

const balanceSnapshot: m.BalanceSnapshot = {
  eventId: 'balance:binance:acct-binance-1:1652458996200',
  venue: 'binance',
  account: 'acct-binance-1',
  portfolio: 'pf-arb',
  complete: false,
  balances: [
    { asset: 'BTC', free: '1.04995', locked: '0', total: '1.04995' },
    { asset: 'USDT', free: '10234.5512', locked: '4365.075', total: '14599.6262' },
  ],
  venueTimeMs: 1_652_458_996_180,
  receivedAtMs: 1_652_458_996_200,
};

const position: m.Position = {
  eventId: 'position:pf-arb:acct-binance-1:BTC/USDT:17',
  portfolio: 'pf-arb',
  account: 'acct-binance-1',
  venue: 'binance',
  instrument: 'BTC/USDT',
  quantity: '-0.35',
  averageEntryPrice: '29310.4',
  realizedPnl: '-12.75',
  unrealizedPnl: '73.6',
  markPrice: '29100.12',
  quoteCurrency: 'USDT',
  fees: [
    { currency: 'BTC', amount: '0.00005' },
    { currency: 'BNB', amount: '-0.0012' },
  ],
  lastFill: { venue: 'binance', account: 'acct-binance-1', venueTradeId: '1209876543' },
  updatedAtMs: 1_652_458_996_121,
};

const riskDecision: m.RiskDecision = {
  eventId: 'risk:cmd-000042',
  intentId,
  commandId: 'cmd-000042',
  portfolio: 'pf-arb',
  account: 'acct-binance-1',
  venue: 'binance',
  instrument: 'BTC/USDT',
  decision: 'REJECTED',
  rule: 'max-position-notional',
  limit: '50000',
  value: '52104.33',
  message: 'position notional 52104.33 USDT would exceed the limit 50000 USDT',
  decidedAtMs: 1_652_458_996_006,
};

const intentStatus: m.IntentStatus = {
  eventId: `${intentId}:status:3`,
  intentId,
  portfolio: 'pf-arb',
  instrument: 'BTC/USDT',
  side: 'BUY',
  source: 'STRATEGY',
  state: 'PARTIALLY_FILLED',
  rule: null,
  reason: null,
  requestedQuantity: '0.5',
  filledQuantity: '0.35',
  leavesQuantity: '0.15',
  averagePrice: '29310.4',
  fees: [{ currency: 'USDT', amount: '6.15' }],
  updatedAtMs: 1_652_458_996_140,
};

const reconciliationDiscrepancy: m.ReconciliationDiscrepancy = {
  eventId: `recon:binance:acct-binance-1:${clientOrderId}`,
  venue: 'binance',
  account: 'acct-binance-1',
  portfolio: 'pf-arb',
  kind: 'QUANTITY_MISMATCH',
  subject: clientOrderId,
  internalValue: '0.05',
  venueValue: '0.1',
  correction: 'filled quantity raised to 0.1; fill 1209876544 fetched from trade history',
  detectedAtMs: 1_652_459_056_000,
};

const alert: m.Alert = {
  eventId: 'alert:okx:1652458996000',
  severity: 'WARNING',
  code: 'VENUE_DEGRADED',
  component: 'connector',
  venue: 'okx',
  account: 'acct-okx-1',
  subject: 'BTC/USDT',
  message: 'okx book stale 6200 ms > 5000 ms; router avoids it',
  raisedAtMs: 1_652_458_996_000,
};

const controlCommand: m.ControlCommand = {
  eventId: 'control:0007',
  type: 'KILL_SWITCH',
  scope: 'ACCOUNT',
  portfolio: 'pf-arb',
  venue: 'okx',
  account: 'acct-okx-1',
  engaged: true,
  cancelOpenOrders: true,
  configKey: 'router.maxSlippageBps',
  configValue: '25',
  issuedBy: 'alice@desk',
  reason: 'okx rejects every order since 09:14',
  issuedAtMs: 1_652_459_100_000,
};

const bookSnapshot: m.BookSnapshot = {
  eventId: 'binance:BTCUSDT:snapshot:14123400100',
  venue: 'binance',
  instrument: 'BTC/USDT',
  venueSymbol: 'BTCUSDT',
  sequence: 14_123_400_100,
  venueTimeMs: 1_633_998_511_098,
  receivedAtMs: 1_633_998_511_132,
  bids: [{ price: '57012.34', quantity: '0.5' }],
  asks: [{ price: '57012.35', quantity: '1.2' }],
};

const venueSnapshot: m.VenueSnapshot = {
  eventId: 'snapshot:binance:acct-binance-1:1652459000000',
  venue: 'binance',
  account: 'acct-binance-1',
  portfolio: 'pf-arb',
  openOrders: [
    {
      clientOrderId,
      venueOrderId: '28457',
      instrument: 'BTC/USDT',
      side: 'BUY',
      quantity: '0.25',
      filledQuantity: '0.1',
      limitPrice: '29310.4',
      rawVenueStatus: 'PARTIALLY_FILLED',
    },
  ],
  balances: [
    { asset: 'BTC', free: '1.20000001', locked: '0', total: '1.20000001' },
    { asset: 'USDT', free: '10500.25', locked: '4396.56', total: '14896.81' },
  ],
  positions: [{ instrument: 'BTC/USDT:USDT', quantity: '-0.35', entryPrice: '29310.4', markPrice: '29100.12' }],
  trades: [
    {
      venueTradeId: '1209876543',
      clientOrderId,
      venueOrderId: '28457',
      instrument: 'BTC/USDT',
      side: 'BUY',
      price: '29310.4',
      quantity: '0.1',
      fee: '0.0001',
      feeCurrency: 'BTC',
      liquidity: 'MAKER',
      venueTimeMs: 1_652_458_999_001,
    },
  ],
  tradesSinceMs: 1_652_455_400_000,
  venueTimeMs: 1_652_458_999_990,
  receivedAtMs: 1_652_459_000_000,
};

const workerSnapshot: m.WorkerSnapshot = {
  eventId: 'snapshot:execution:p3:1652459000000',
  worker: 'execution',
  partition: 3,
  inputs: [
    { topic: 'exec.route-decisions', partition: 3, offset: '18442' },
    { topic: 'control.commands', partition: 0, offset: '12' },
  ],
  outputs: [{ topic: 'exec.order-commands', partition: 3, offset: '30115' }],
  state: Buffer.from([0x1f, 0x8b, 0x08, 0x00]),
  takenAtMs: 1_652_459_000_000,
};

const syncDecision: m.SyncDecision = {
  eventId: 'sync:copy-small:fill:binance:acct-binance-1:310129876',
  follower: 'copy-small',
  kind: 'SKIP',
  leaderVenue: 'binance',
  leaderAccount: 'acct-binance-1',
  leaderEvent: 'binance:acct-binance-1:310129876',
  leaderInstrument: 'BTC/USDT',
  portfolio: 'pf-copy',
  account: 'acct-bybit-2',
  venue: 'bybit',
  instrument: 'BTC/USDT:USDT',
  side: 'BUY',
  quantity: '0.0004',
  limitPrice: '29105.1',
  targetQuantity: '0.0004',
  actualQuantity: '0',
  residualQuantity: '0.0004',
  intentId: 'sync-copy-small-3f9a',
  reason: 'below the minimum quantity 0.001 on bybit',
  decidedAtMs: 1_652_458_996_300,
};

export interface Example {
  schema: RecordSchema;
  value: unknown;
}

function example<S extends RecordSchema>(schema: S, value: Infer<S>): Example {
  return { schema, value };
}

export const EXAMPLES: Example[] = [
  example(m.BookSnapshotSchema, bookSnapshot),
  example(m.BookDeltaSchema, bookDelta),
  example(m.TradeSchema, trade),
  example(m.FundingRateSchema, fundingRate),
  example(m.VenueHealthSchema, venueHealth),
  example(m.SymbolMetadataSchema, symbolMetadata),
  example(m.IntentSchema, intent),
  example(m.RouteDecisionSchema, routeDecision),
  example(m.OrderCommandSchema, orderCommand),
  example(m.OrderEventSchema, orderEvent),
  example(m.FillSchema, fill),
  example(m.BalanceSnapshotSchema, balanceSnapshot),
  example(m.PositionSchema, position),
  example(m.RiskDecisionSchema, riskDecision),
  example(m.IntentStatusSchema, intentStatus),
  example(m.ReconciliationDiscrepancySchema, reconciliationDiscrepancy),
  example(m.AlertSchema, alert),
  example(m.SyncDecisionSchema, syncDecision),
  example(m.ControlCommandSchema, controlCommand),
  example(m.VenueSnapshotSchema, venueSnapshot),
  example(m.WorkerSnapshotSchema, workerSnapshot),
];
