import { AlertSchema } from '../messages/Alert.ts';
import { ArbitrageGroupSchema } from '../messages/ArbitrageGroup.ts';
import { BalanceSnapshotSchema } from '../messages/BalanceSnapshot.ts';
import { BookDeltaSchema } from '../messages/BookDelta.ts';
import { BookSnapshotSchema } from '../messages/BookSnapshot.ts';
import { ControlCommandSchema } from '../messages/ControlCommand.ts';
import { FillSchema } from '../messages/Fill.ts';
import { FundingPaymentSchema } from '../messages/FundingPayment.ts';
import { FundingRateSchema } from '../messages/FundingRate.ts';
import { IntentSchema } from '../messages/Intent.ts';
import { IntentStatusSchema } from '../messages/IntentStatus.ts';
import { OrderCommandSchema } from '../messages/OrderCommand.ts';
import { OrderEventSchema } from '../messages/OrderEvent.ts';
import { PositionSchema } from '../messages/Position.ts';
import { ReconciliationDiscrepancySchema } from '../messages/ReconciliationDiscrepancy.ts';
import { RiskDecisionSchema } from '../messages/RiskDecision.ts';
import { RouteDecisionSchema } from '../messages/RouteDecision.ts';
import { SymbolMetadataSchema } from '../messages/SymbolMetadata.ts';
import { SyncDecisionSchema } from '../messages/SyncDecision.ts';
import { TradeSchema } from '../messages/Trade.ts';
import { VenueHealthSchema } from '../messages/VenueHealth.ts';
import { VenueSnapshotSchema } from '../messages/VenueSnapshot.ts';
import { WorkerSnapshotSchema } from '../messages/WorkerSnapshot.ts';
import { DAY_MS, defineTopic, type TopicDefinition } from './TopicDefinition.ts';

/**
 * The one topic catalogue every worker uses.
 *
 * - Market data and intents are keyed by instrument and share MARKET_PARTITIONS, so the books and
 *   the intents routed against them land on the same partition number (co-partitioned).
 * - Execution records are keyed by portfolio (the consistency unit: accounts that share limits), so
 *   one risk and execution instance owns a portfolio and reads its orders and fills in order.
 * - Compacted topics hold state (latest value per key); their key names the entity exactly,
 *   because compaction keeps one record per key. Small ones (reference data, control) are read
 *   whole by every instance that needs them, not shared by a consumer group.
 */
export const MARKET_PARTITIONS = 6;
export const EXECUTION_PARTITIONS = 6;

const KEEP_FOREVER = -1;
// '|' never appears in a venue, account, portfolio or unified symbol ('/' does: BTC/USDT).
const path = (...parts: Array<string | null>) => parts.map((part) => part ?? '*').join('|');

export const TOPICS = {
  // --- market data: keyed by instrument ---
  bookSnapshots: defineTopic({
    name: 'md.book-snapshots',
    schema: BookSnapshotSchema,
    keyDoc: 'instrument: co-partitioned with book deltas and intents for the same instrument',
    key: (book) => book.instrument,
    partitions: MARKET_PARTITIONS,
    compacted: false,
    retentionMs: DAY_MS,
  }),
  bookDeltas: defineTopic({
    name: 'md.book-deltas',
    schema: BookDeltaSchema,
    keyDoc: 'instrument: one venue book applies its deltas in order on one partition, beside its snapshots',
    key: (delta) => delta.instrument,
    partitions: MARKET_PARTITIONS,
    compacted: false,
    retentionMs: DAY_MS,
  }),
  trades: defineTopic({
    name: 'md.trades',
    schema: TradeSchema,
    keyDoc: 'instrument: co-partitioned with books for markouts and transaction-cost analysis',
    key: (trade) => trade.instrument,
    partitions: MARKET_PARTITIONS,
    compacted: false,
    retentionMs: 7 * DAY_MS,
  }),
  fundingRates: defineTopic({
    name: 'md.funding-rates',
    schema: FundingRateSchema,
    keyDoc: 'instrument: co-partitioned with books for funding-rate arbitrage',
    key: (rate) => rate.instrument,
    partitions: MARKET_PARTITIONS,
    compacted: false,
    retentionMs: 30 * DAY_MS,
  }),
  venueHealth: defineTopic({
    name: 'md.venue-health',
    schema: VenueHealthSchema,
    keyDoc: 'venue|account (* for the public side): the latest health of each, read whole by every router',
    key: (health) => path(health.venue, health.account),
    partitions: 1,
    compacted: true,
  }),
  symbols: defineTopic({
    name: 'ref.symbols',
    schema: SymbolMetadataSchema,
    keyDoc: 'venue|instrument: the latest rules of each market, read whole by routers and risk',
    key: (symbol) => path(symbol.venue, symbol.instrument),
    partitions: 1,
    compacted: true,
  }),

  // --- intents: keyed by instrument, routed against co-partitioned books ---
  intents: defineTopic({
    name: 'exec.intents',
    schema: IntentSchema,
    keyDoc: 'instrument: the router instance that holds this instrument\'s books routes its intents',
    key: (intent) => intent.instrument,
    partitions: MARKET_PARTITIONS,
    compacted: false,
    retentionMs: 30 * DAY_MS,
  }),

  // --- execution: keyed by portfolio ---
  routeDecisions: defineTopic({
    name: 'exec.route-decisions',
    schema: RouteDecisionSchema,
    keyDoc: 'portfolio: risk and execution state for a portfolio reads its plans in order',
    key: (decision) => decision.portfolio,
    partitions: EXECUTION_PARTITIONS,
    compacted: false,
    retentionMs: 30 * DAY_MS,
  }),
  orderCommands: defineTopic({
    name: 'exec.order-commands',
    schema: OrderCommandSchema,
    keyDoc: 'portfolio: commands leave risk in the order it approved them; connectors take their own account\'s',
    key: (command) => command.portfolio,
    partitions: EXECUTION_PARTITIONS,
    compacted: false,
    retentionMs: 30 * DAY_MS,
  }),
  orderEvents: defineTopic({
    name: 'exec.order-events',
    schema: OrderEventSchema,
    keyDoc: 'portfolio: order state changes reach the owner of the portfolio in order',
    key: (event) => event.portfolio,
    partitions: EXECUTION_PARTITIONS,
    compacted: false,
    retentionMs: 30 * DAY_MS,
  }),
  fills: defineTopic({
    name: 'exec.fills',
    schema: FillSchema,
    keyDoc: 'portfolio: positions and risk fold a portfolio\'s fills in order, each exactly once',
    key: (fill) => fill.portfolio,
    partitions: EXECUTION_PARTITIONS,
    compacted: false,
    retentionMs: KEEP_FOREVER,
  }),
  fundingPayments: defineTopic({
    name: 'exec.funding-payments',
    schema: FundingPaymentSchema,
    keyDoc: 'portfolio: positions fold a portfolio\'s funding beside its fills, on the same partition, each payment once',
    key: (payment) => payment.portfolio,
    partitions: EXECUTION_PARTITIONS,
    compacted: false,
    // Positions re-read the whole log to rebuild, as for fills.
    retentionMs: KEEP_FOREVER,
  }),
  balanceSnapshots: defineTopic({
    name: 'exec.balance-snapshots',
    schema: BalanceSnapshotSchema,
    keyDoc: 'portfolio: venue balances reach positions on the same partition as the portfolio\'s fills',
    key: (snapshot) => snapshot.portfolio,
    partitions: EXECUTION_PARTITIONS,
    compacted: false,
    retentionMs: 7 * DAY_MS,
  }),
  riskDecisions: defineTopic({
    name: 'exec.risk-decisions',
    schema: RiskDecisionSchema,
    keyDoc: 'portfolio: every approval and rejection, in the order risk made them',
    key: (decision) => decision.portfolio,
    partitions: EXECUTION_PARTITIONS,
    compacted: false,
    retentionMs: 30 * DAY_MS,
  }),
  intentStatus: defineTopic({
    name: 'exec.intent-status',
    schema: IntentStatusSchema,
    keyDoc: 'portfolio: published by the execution instance that owns the portfolio, each intent\'s changes in the order they happened',
    key: (status) => status.portfolio,
    partitions: EXECUTION_PARTITIONS,
    compacted: false,
    retentionMs: 30 * DAY_MS,
  }),
  venueSnapshots: defineTopic({
    name: 'recon.venue-snapshots',
    schema: VenueSnapshotSchema,
    keyDoc: 'portfolio: the reconciler compares a snapshot with the order events and fills of the same partition',
    key: (snapshot) => snapshot.portfolio,
    partitions: EXECUTION_PARTITIONS,
    compacted: false,
    retentionMs: 7 * DAY_MS,
  }),
  discrepancies: defineTopic({
    name: 'recon.discrepancies',
    schema: ReconciliationDiscrepancySchema,
    keyDoc: 'portfolio: corrections reach the owner of the portfolio in order',
    key: (discrepancy) => discrepancy.portfolio,
    partitions: EXECUTION_PARTITIONS,
    compacted: false,
    retentionMs: 90 * DAY_MS,
  }),

  // --- state: compacted, latest value per entity ---
  positions: defineTopic({
    name: 'state.positions',
    schema: PositionSchema,
    keyDoc: 'portfolio|account|venue|instrument: one position per key survives compaction',
    key: (position) => path(position.portfolio, position.account, position.venue, position.instrument),
    partitions: EXECUTION_PARTITIONS,
    compacted: true,
  }),
  balances: defineTopic({
    name: 'state.balances',
    schema: BalanceSnapshotSchema,
    keyDoc: 'portfolio|venue|account: the latest balances of each account survive compaction',
    key: (snapshot) => path(snapshot.portfolio, snapshot.venue, snapshot.account),
    partitions: EXECUTION_PARTITIONS,
    compacted: true,
  }),

  workerSnapshots: defineTopic({
    name: 'state.worker-snapshots',
    schema: WorkerSnapshotSchema,
    keyDoc: 'worker|partition: the latest snapshot of each partition of each stateful worker survives compaction. Written to the partition numbered like the state (not the key\'s), so a recovering instance reads the last record of that partition',
    key: (snapshot) => path(snapshot.worker, String(snapshot.partition)),
    partitions: EXECUTION_PARTITIONS,
    compacted: true,
    // A partition's state of a busy desk is megabytes even gzipped.
    maxMessageBytes: 64 * 1024 * 1024,
  }),

  // --- copy trading ---
  syncDecisions: defineTopic({
    name: 'sync.decisions',
    schema: SyncDecisionSchema,
    keyDoc: 'follower: each follower\'s decisions in the order the synchronizer made them',
    key: (decision) => decision.follower,
    partitions: 1,
    compacted: false,
    retentionMs: 90 * DAY_MS,
  }),

  // --- arbitrage ---
  arbitrageGroups: defineTopic({
    name: 'arb.groups',
    schema: ArbitrageGroupSchema,
    keyDoc: 'group id: a group\'s open and close records in order; reports read the topic whole',
    key: (group) => group.groupId,
    partitions: 1,
    compacted: false,
    retentionMs: 90 * DAY_MS,
  }),

  // --- operations and control ---
  alerts: defineTopic({
    name: 'ops.alerts',
    schema: AlertSchema,
    keyDoc: 'component: each component\'s alerts in the order it raised them',
    key: (alert) => alert.component,
    partitions: 1,
    compacted: false,
    retentionMs: 90 * DAY_MS,
  }),
  controlCommands: defineTopic({
    name: 'control.commands',
    schema: ControlCommandSchema,
    keyDoc: 'type|scope|target: the latest state of each kill switch or setting survives compaction; read whole by every instance',
    key: (command) => path(command.type, command.scope, command.portfolio, command.venue, command.account, command.configKey),
    partitions: 1,
    compacted: true,
  }),
} as const;

export type TopicKey = keyof typeof TOPICS;

export const ALL_TOPICS: TopicDefinition[] = Object.values(TOPICS) as TopicDefinition[];

/** The topics the audit log keeps: every one but the workers' snapshots, which are internal state, not events. */
export const AUDITED_TOPICS: TopicDefinition[] = ALL_TOPICS.filter((topic) => topic !== TOPICS.workerSnapshots);
