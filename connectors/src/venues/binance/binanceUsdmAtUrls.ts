import ccxt from 'ccxt';
import type { CcxtAtUrls } from '../../ccxt/CcxtAtUrls.ts';

/**
 * ccxt reads USD-M's own error codes (-2019 margin insufficient, -2022 reduce-only rejected, …)
 * only for a URL on Binance's futures host; at any other URL they would all be a bare
 * ExchangeError, so they join the codes it reads everywhere.
 */
function usdmExceptions(): object {
  const { exceptions } = new ccxt.binanceusdm() as unknown as { exceptions: { linear: { exact: object } } };
  return { exact: exceptions.linear.exact };
}

/**
 * ccxt's binanceusdm class pointed at a venue that speaks Binance USD-M at its own URLs (a
 * simulated venue): REST /fapi v1-v3 and the futures streams (ccxt derives the split /public,
 * /market and /private endpoints from `…/ws`). Skipped at load: the sapi currency list, a spot
 * wallet endpoint a futures venue does not serve.
 */
export const binanceUsdmAtUrls: CcxtAtUrls = (rest, ws) => {
  const fapi = (version: string) => `${rest}/fapi/${version}`;
  return {
    urls: {
      api: {
        fapiPublic: fapi('v1'),
        fapiPublicV2: fapi('v2'),
        fapiPublicV3: fapi('v3'),
        fapiPrivate: fapi('v1'),
        fapiPrivateV2: fapi('v2'),
        fapiPrivateV3: fapi('v3'),
        ws: { future: `${ws}/ws` },
      },
    },
    options: { fetchCurrencies: false },
    exceptions: usdmExceptions(),
  };
};
