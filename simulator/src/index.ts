// The simulated venues: a matching engine behind real venue dialects (Binance spot, Bybit v5, OKX v5, and
// Binance USD-M perpetuals) with faults on command, and the capture server that plays recorded venue sessions back.
export { SimulatedVenue, isPerpetualDialect, type SimulatedVenueOptions, type VenueEndpoints, type VenueDialect } from './SimulatedVenue.ts';
export type { SimulatedAccount } from './SimulatedAccount.ts';
export type { MidWalk } from './engine/BackgroundFlow.ts';
export { DEFAULT_MARKETS, DEFAULT_PERPETUAL_MARKETS, defaultMarket, loadMarketRules, type SimulatedMarket } from './markets.ts';
export type { OrderRequest, Order, Execution, Trade, Fees } from './engine/types.ts';
export type { Perpetuals, Income } from './engine/Perpetuals.ts';
export { CaptureServer, type CaptureEndpoints } from './capture/CaptureServer.ts';
export {
  ReplayVenue,
  BookFillModel,
  ProbabilisticFillModel,
  FILL_MODELS,
  type ReplayVenueOptions,
  type FillModel,
  type FillModelName,
  type RecordedLevel,
  type RecordedTrade,
  type ReplayFill,
  type ReplayOrderReport,
  type ReplayOrderRequest,
} from './replay/index.ts';
