// The processors' public surface: the workers the CLI runs, and what the CLI's commands and file
// formats and the cross-package tests use. The gateway's route preview has its own entry,
// @crossvenue/processors/router (router/index.ts), which holds no worker.
export { AuditSink, auditRow } from './audit/AuditSink.ts';
export { auditSchemaSql, auditTable, auditTableDdl } from './audit/auditTables.ts';
export { tsvRow } from './audit/tsv.ts';
export { compareFills, type PositionFill } from './positions/PositionFill.ts';
export type { PositionState } from './positions/PositionState.ts';
export { PositionLedger } from './positions/PositionLedger.ts';
export { unrealizedPnl } from './positions/markToMarket.ts';
export { underlyingExposures } from './positions/underlyingExposure.ts';
export { PositionsWorker } from './positions/PositionsWorker.ts';
export { DEFAULT_FEES } from './router/costModel.ts';
export { routeOrder } from './router/routeOrder.ts';
export { planFigures } from './router/toRouteDecision.ts';
export type { BookLevel, VenueCandidate } from './router/RouteRequest.ts';
export type { RoutePlan } from './router/RoutePlan.ts';
export { RouterWorker } from './router/RouterWorker.ts';
export { routeDecisionId } from './execution/routeDecisionId.ts';
export { ExecutionWorker } from './execution/ExecutionWorker.ts';
export { parseRiskLimits, type RiskLimits } from './risk/RiskLimits.ts';
export { ReconcilerWorker } from './reconciler/ReconcilerWorker.ts';
export { NotifierWorker } from './notifier/NotifierWorker.ts';
export { notifierSettings } from './notifier/notifierSettings.ts';
export type { OrderRequest, Strategy, StrategyContext, StrategyFactory, StrategyReads } from './strategy/Strategy.ts';
export { StrategyRunner, strategyTopics, type StrategyRunnerOptions } from './strategy/StrategyRunner.ts';
export { MidReversion, midReversion } from './strategy/MidReversion.ts';
export { SynchronizerWorker, type SynchronizerWorkerOptions } from './synchronizer/SynchronizerWorker.ts';
export { formatFollower, parseFollower, parseFollowers, type FollowerConfig, type Sizing } from './synchronizer/FollowerConfig.ts';
export { followerKey, pauseKey } from './synchronizer/followerCommands.ts';
export {
  ArbitrageWorker,
  ArbitrageStrategy,
  FundingArbitrage,
  parseArbitrageSettings,
  parseArbitrageWorkerSettings,
  parseFundingSettings,
  type ArbitrageSettings,
  type ArbitrageWorkerOptions,
  type ArbitrageWorkerSettings,
  type FundingPlace,
  type FundingSettings,
} from './arbitrage/index.ts';
