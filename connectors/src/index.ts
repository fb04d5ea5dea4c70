// What the workers, the CLI and the cross-package tests use of the connectors.
export { ccxtClientFor } from './ccxt/ccxtClientFor.ts';
export type { Side } from './book/LocalBook.ts';
export type { BookEvent } from './book/BookEvent.ts';
export { BinanceBookSync } from './venues/binance/BinanceBookSync.ts';
export { readCapture, CaptureFormatError, type CapturedPayload } from './replay/captureFile.ts';
export { replayBooks } from './replay/replayBooks.ts';
export { CcxtConnector, CCXT_CONNECTOR_TOPICS, type CcxtConnectorOptions } from './ccxt/CcxtConnector.ts';
export { followVenueClock } from './ccxt/venueClock.ts';
export { ccxtLeverageProblem, ccxtVenueProblem, createCcxtClient, neededCredentials } from './ccxt/createCcxtClient.ts';
export { CREDENTIAL_FIELDS, CREDENTIALS, venueCredentials, type CredentialField, type VenueCredentials } from './ccxt/venueCredentials.ts';
export { capabilitiesOf } from './venues/capabilitiesOf.ts';
export { VenueHealthMonitor } from './ccxt/VenueHealthMonitor.ts';
export { CcxtMarketData, MARKET_DATA_TOPICS } from './ccxt/marketData/CcxtMarketData.ts';
export { unhandledRejectionVerdict } from './ccxt/unhandledRejection.ts';
export { NativeBookConnector } from './native/NativeBookConnector.ts';
export { NativeBookFeed } from './native/NativeBookFeed.ts';
export type { BookProtocol } from './native/BookProtocol.ts';
export { venueSymbolOf, isNativeVenue, NATIVE_VENUES, type NativeVenue, type NativeVenueSettings } from './venues/nativeVenues.ts';
export { recordBooks } from './native/recordBooks.ts';

// The ccxt connector's execution side on its own, for tests that drive it without the user stream.
export { CcxtExecution } from './ccxt/CcxtExecution.ts';
export { OrderReporter } from './ccxt/OrderReporter.ts';
export { TrackedOrders } from './ccxt/TrackedOrders.ts';
export type { ConnectorContext } from './ccxt/ConnectorContext.ts';
export { BinanceProtocol } from './venues/binance/binanceProtocol.ts';
export { OkxProtocol } from './venues/okx/okxProtocol.ts';
export { KrakenProtocol } from './venues/kraken/krakenProtocol.ts';
export { httpGetJson } from './native/httpGetJson.ts';
