// The simulated venues: a matching engine behind real venue dialects (Binance spot, Bybit v5) with
// faults on command, and the capture server that plays recorded venue sessions back.
export { SimulatedVenue, type SimulatedVenueOptions, type VenueEndpoints, type VenueDialect } from './SimulatedVenue.ts';
export type { SimulatedAccount } from './SimulatedAccount.ts';
export { DEFAULT_MARKETS, defaultMarket, loadMarketRules, type SimulatedMarket } from './markets.ts';
export type { LadderSeed } from './engine/seedLadder.ts';
export type { FaultSettings } from './Faults.ts';
export { MatchingEngine, type MatchingEngineOptions, type OrderRef, type Amendment } from './engine/MatchingEngine.ts';
export { EngineRejection, type RejectReason } from './engine/EngineRejection.ts';
export type { MarketRules, OrderRequest, Order, Execution, Trade, EngineEvent, Fees } from './engine/types.ts';
export { CaptureServer, type CaptureEndpoints, type CaptureServerOptions } from './capture/CaptureServer.ts';
