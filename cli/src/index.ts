/** What other packages (tests, tools) use of the CLI: the embedded run as a library. */
export { DEMO_PORTFOLIO, startEmbeddedRun, type EmbeddedRun } from './embedded/EmbeddedRun.ts';
export { gatewayClient } from './embedded/gatewayClient.ts';
export { localApiKey } from './embedded/localApiKey.ts';
export { DEMO_VENUES } from './demoVenues.ts';
export { ccxtConnectorWorker } from './workers/ccxtConnector.ts';
export type { RunningWorker } from './workers/WorkerDefinition.ts';
export { SupervisedRun } from './chaos/SupervisedRun.ts';
export { SCENARIOS } from './chaos/scenarios.ts';
export { simulatedVenues, writeSimulatedConfig, type SimulatedVenue } from './chaos/simulatedRun.ts';
export { venueLedger, type VenueLedger, type VenueOrder, type VenueTrade } from './chaos/venueLedger.ts';
export { positionMoves, venueMoves } from './chaos/invariants.ts';
export { backtestCommand } from './commands/backtest.ts';
export { runBacktest, type BacktestResult } from './backtest/BacktestRun.ts';
export { loadRecordedMarket, type RecordedMarket } from './backtest/RecordedMarket.ts';
