/**
 * The ccxt `urls` and load `options` that point one venue's ccxt class at REST and WebSocket base
 * URLs of our choosing, and the error `exceptions` it would otherwise pick by the venue's own host.
 */
export type CcxtAtUrls = (restUrl: string, wsUrl: string) => { urls: object; options: object; exceptions?: object };
