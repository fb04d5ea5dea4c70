export { VenuePayloadError } from './VenuePayloadError.ts';
export type { BinanceDepthSnapshot, BinanceExchangeInfo } from './binance/BinanceWire.ts';
export { parseDepthSnapshot } from './binance/parseDepthSnapshot.ts';
export { BinanceRest, VenueHttpError } from './binance/BinanceRest.ts';
export { BinanceSnapshotConnector, type BinanceSnapshotConnectorOptions } from './binance/BinanceSnapshotConnector.ts';
export { SimulatedBook, type BookSeed, type SimulatedLevel } from './simulated/SimulatedBook.ts';
export { SimulatedBinanceServer, type SimulatedMarket } from './simulated/SimulatedBinanceServer.ts';
