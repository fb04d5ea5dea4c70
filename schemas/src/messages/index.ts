export { SideSchema, TimeInForceSchema, OrderTypeSchema, type Side, type TimeInForce, type OrderType } from './enums.ts';
export { PriceLevelSchema, BookSnapshotSchema, type PriceLevel, type BookSnapshot } from './BookSnapshot.ts';
export { BookDeltaSchema, type BookDelta } from './BookDelta.ts';
export { TradeSchema, type Trade } from './Trade.ts';
export { FundingRateSchema, type FundingRate } from './FundingRate.ts';
export { VenueStateSchema, VenueHealthSchema, type VenueState, type VenueHealth } from './VenueHealth.ts';
export {
  AssetTypeSchema,
  OptionKindSchema,
  SymbolMetadataSchema,
  type AssetType,
  type OptionKind,
  type SymbolMetadata,
} from './SymbolMetadata.ts';
export {
  AmountTypeSchema,
  TriggerTypeSchema,
  TriggerSchema,
  IntentOrderSchema,
  ContingencySchema,
  OrderGroupSchema,
  IntentActionSchema,
  IntentKindSchema,
  IntentSourceSchema,
  IntentSchema,
  AlgoTypeSchema,
  ExecutionAlgoSchema,
  type AlgoType,
  type ExecutionAlgo,
  type AmountType,
  type TriggerType,
  type Trigger,
  type IntentOrder,
  type Contingency,
  type OrderGroup,
  type IntentAction,
  type IntentKind,
  type IntentSource,
  type Intent,
} from './Intent.ts';
export {
  RouteCandidateSchema,
  RouteLegSchema,
  RouteDecisionSchema,
  QuoteConversionSchema,
  type RouteCandidate,
  type RouteLeg,
  type RouteDecision,
  type QuoteConversion,
} from './RouteDecision.ts';
export { OrderCommandTypeSchema, OrderCommandSchema, type OrderCommandType, type OrderCommand } from './OrderCommand.ts';
export {
  OrderStateSchema,
  OrderEventTypeSchema,
  OrderEventSourceSchema,
  OrderEventSchema,
  type OrderState,
  type OrderEventType,
  type OrderEventSource,
  type OrderEvent,
} from './OrderEvent.ts';
export { LiquiditySchema, FillSourceSchema, FillSchema, type Liquidity, type FillSource, type Fill } from './Fill.ts';
export { BalanceSchema, BalanceSnapshotSchema, type Balance, type BalanceSnapshot } from './BalanceSnapshot.ts';
export {
  FeeTotalSchema,
  FillIdentitySchema,
  PositionSchema,
  type FeeTotal,
  type FillIdentity,
  type Position,
} from './Position.ts';
export { RiskOutcomeSchema, RiskDecisionSchema, type RiskOutcome, type RiskDecision } from './RiskDecision.ts';
export { AlgoProgressSchema, IntentStateSchema, IntentStatusSchema, type AlgoProgress, type IntentState, type IntentStatus } from './IntentStatus.ts';
export {
  DiscrepancyKindSchema,
  ReconciliationDiscrepancySchema,
  type DiscrepancyKind,
  type ReconciliationDiscrepancy,
} from './ReconciliationDiscrepancy.ts';
export { AlertSeveritySchema, AlertSchema, type AlertSeverity, type Alert } from './Alert.ts';
export { SyncDecisionKindSchema, SyncDecisionSchema, type SyncDecisionKind, type SyncDecision } from './SyncDecision.ts';
export {
  ArbitrageGroupSchema,
  ArbitrageGroupStateSchema,
  ArbitrageKindSchema,
  ArbitrageLegRoleSchema,
  ArbitrageLegSchema,
  LegRiskPolicySchema,
  type ArbitrageGroup,
  type ArbitrageGroupState,
  type ArbitrageKind,
  type ArbitrageLeg,
  type ArbitrageLegRole,
  type LegRiskPolicy,
} from './ArbitrageGroup.ts';
export {
  ControlCommandTypeSchema,
  ControlScopeSchema,
  ControlCommandSchema,
  type ControlCommandType,
  type ControlScope,
  type ControlCommand,
} from './ControlCommand.ts';
// The parts refer to Side by name inside VenueSnapshot, so only their types stand alone.
export {
  VenueSnapshotSchema,
  type VenueOrder,
  type VenueTrade,
  type VenuePosition,
  type VenueSnapshot,
  type MarginFigures,
} from './VenueSnapshot.ts';
export { PartitionOffsetSchema, WorkerSnapshotSchema, type PartitionOffset, type WorkerSnapshot } from './WorkerSnapshot.ts';
export { FundingPaymentSchema, type FundingPayment } from './FundingPayment.ts';
