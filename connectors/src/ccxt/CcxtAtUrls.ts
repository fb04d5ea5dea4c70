/** The ccxt `urls` and load `options` that point one venue's ccxt class at REST and WebSocket base URLs of our choosing. */
export type CcxtAtUrls = (restUrl: string, wsUrl: string) => { urls: object; options: object };
