export { ApiKeys, allows, type Role } from './auth/ApiKeys.ts';
export { GatewayServer } from './GatewayServer.ts';
export { IdempotencyKeys } from './IdempotencyKeys.ts';
export { LIVE_TOPICS, LiveState } from './LiveState.ts';
export { apiRoutes, type AuditReports, type Route } from './routes.ts';

export {
  BACKTESTS_DIR_KEY,
  DEFAULT_BACKTESTS_DIR,
  RUN_FILES,
  RUN_ID,
  backtestsFolder,
  type SavedBacktestRun,
} from './backtests/savedBacktests.ts';
