import type { CcxtAtUrls } from '../../ccxt/CcxtAtUrls.ts';

/**
 * ccxt's okx class pointed at a venue that speaks OKX v5 at its own URLs (a simulated venue): REST
 * /api/v5 and the WebSocket /ws/v5/{public,private}. No load option is changed: the venue serves
 * every call ccxt's okx makes at load (the instruments of each type, the signed currency list).
 */
export const okxAtUrls: CcxtAtUrls = (rest, ws) => ({
  urls: { api: { rest, ws: `${ws}/ws/v5` } },
  options: {},
});
