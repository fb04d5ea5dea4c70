import type { OrderType, Market } from '@crossvenue/schemas';
import {
  parseDecimal,
  type Decimal,
  InvalidInputError,
  parseVenueId,
  formatSymbol,
} from '@crossvenue/schemas';

/**
 * One entry of `symbols` in Binance spot GET /api/v3/exchangeInfo, as far as we read it:
 * https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-endpoints#exchange-information
 */
export interface BinanceExchangeInfoSymbol {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  orderTypes: string[];
  icebergAllowed: boolean;
  isSpotTradingAllowed?: boolean;
  /** Until 2024; since then empty, replaced by permissionSets. */
  permissions?: string[];
  permissionSets?: string[][];
  filters: BinanceSymbolFilter[];
}

/** https://developers.binance.com/docs/binance-spot-api-docs/filters */
export interface BinanceSymbolFilter {
  filterType: string;
  [field: string]: unknown;
}

/** Binance order types we can send; LIMIT_MAKER is how Binance spells post-only. */
const ORDER_TYPES: Record<string, OrderType> = {
  MARKET: 'MARKET',
  LIMIT: 'LIMIT',
  STOP_LOSS: 'STOP_MARKET',
  STOP_LOSS_LIMIT: 'STOP_LIMIT',
  TAKE_PROFIT: 'TAKE_PROFIT_MARKET',
  TAKE_PROFIT_LIMIT: 'TAKE_PROFIT_LIMIT',
};

/** The symbol metadata of one Binance spot market. */
export function binanceSymbolMetadata(raw: BinanceExchangeInfoSymbol): Market {
  const filter = filterReader(raw);
  const notionalFilter = raw.filters.some((f) => f.filterType === 'NOTIONAL') ? 'NOTIONAL' : 'MIN_NOTIONAL';
  return {
    venue: parseVenueId('binance'),
    instrument: formatSymbol({ base: raw.baseAsset, quote: raw.quoteAsset }),
    venueSymbol: raw.symbol,
    assetType: 'SPOT',
    base: raw.baseAsset,
    quote: raw.quoteAsset,
    settle: null,
    active: raw.status === 'TRADING' && spotAllowed(raw),
    contractSize: null,
    inverse: false,
    expiryMs: null,
    strike: null,
    optionKind: null,
    minQuantity: filter('LOT_SIZE', 'minQty'),
    maxQuantity: filter('LOT_SIZE', 'maxQty'),
    maxMarketQuantity: filter('MARKET_LOT_SIZE', 'maxQty'),
    quantityStep: filter('LOT_SIZE', 'stepSize'),
    minPrice: filter('PRICE_FILTER', 'minPrice'),
    maxPrice: filter('PRICE_FILTER', 'maxPrice'),
    priceTick: filter('PRICE_FILTER', 'tickSize'),
    minNotional: filter(notionalFilter, 'minNotional'),
    maxNotional: filter('NOTIONAL', 'maxNotional'),
    orderTypes: raw.orderTypes.flatMap((type) => ORDER_TYPES[type] ?? []),
    // Binance spot knows GTC, IOC and FOK only:
    // https://developers.binance.com/docs/binance-spot-api-docs/enums#time-in-force-timeinforce
    timeInForce: ['GTC', 'IOC', 'FOK'],
    postOnly: raw.orderTypes.includes('LIMIT_MAKER'),
    reduceOnly: false,
    iceberg: raw.icebergAllowed,
    // Fees depend on the account's tier: GET /api/v3/account/commission, not exchangeInfo.
    makerFee: null,
    takerFee: null,
  };
}

/**
 * Reads one decimal of one filter. Binance writes 0 for a rule it does not apply ("any of the
 * variables can be set to 0, which disables that rule"), so 0 and a missing filter are both null.
 */
function filterReader(raw: BinanceExchangeInfoSymbol): (filterType: string, field: string) => Decimal | null {
  return (filterType, field) => {
    const found = raw.filters.find((f) => f.filterType === filterType);
    if (!found || found[field] === undefined) return null;
    const value = parseDecimal(found[field], `binance ${raw.symbol} ${filterType}.${field}`);
    return value.isZero() ? null : value;
  };
}

/** Spot trading needs the SPOT permission (in `permissions` before 2024, `permissionSets` since). */
function spotAllowed(raw: BinanceExchangeInfoSymbol): boolean {
  const permissions = [...(raw.permissions ?? []), ...(raw.permissionSets ?? []).flat()];
  if (permissions.length > 0) return permissions.includes('SPOT');
  if (raw.isSpotTradingAllowed === undefined) throw new InvalidInputError(`binance ${raw.symbol}: no permissions and no isSpotTradingAllowed`);
  return raw.isSpotTradingAllowed;
}
