import {
  Decimal,
  parseVenueId,
  toSymbolMetadata,
  validateSymbol,
  type AssetType,
  type Market,
  type OrderType,
  type SymbolMetadata,
  type TimeInForce,
} from '@crossvenue/schemas';
import { binanceSymbolMetadata, type BinanceExchangeInfoSymbol } from '../../venues/binance/binanceSymbols.ts';
import { okxSymbolMetadata, type OkxInstrument } from '../../venues/okx/okxSymbols.ts';
import type { Exchange, MarketInterface as CcxtMarket } from 'ccxt';
import { precisionStep } from '../ccxtValues.ts';
import { countsContracts, toBase } from '../contractUnits.ts';

/**
 * The SymbolMetadata of one ccxt market, published under our venue name.
 *
 * Where the venue writes its rules as decimal strings and we have a parser for its raw payload
 * (Binance spot exchangeInfo filters, OKX instruments), the rules come from `market.info`, exactly.
 * Elsewhere they come from ccxt's unified market, whose precision and limits ccxt parsed from the
 * venue's strings into JS numbers: `String(number)` is the shortest representation that reads back
 * as the same number, which is the venue's own string for anything up to 15 significant digits
 * (every tick, lot and limit venues publish). We never compute on the numbers.
 */
export function symbolMetadataOf(exchange: Exchange, market: CcxtMarket, venue: string, eventId: string, receivedAtMs: number): SymbolMetadata {
  const rules = inBaseUnits(rawVenueRules(exchange.id, market) ?? unifiedRules(exchange, market), market);
  const withOurNames: Market = { ...rules, venue: parseVenueId(venue), instrument: validateSymbol(market.symbol), venueSymbol: String(market.id) };
  return toSymbolMetadata({ ...withOurNames, ...feesOf(market) }, eventId, receivedAtMs);
}

/**
 * The quantity rules in the base asset, as every quantity inside Crossvenue is (contractUnits.ts):
 * a linear contract's minimum, maximum and step, which the venue gives in contracts, times its
 * contract size; `contractSize` stays, so a reader knows the venue counts contracts. An inverse
 * contract keeps its contracts: no base quantity fits it, and the router leaves it out, saying why.
 */
function inBaseUnits(rules: Market, market: CcxtMarket): Market {
  if (market.inverse === true || !countsContracts(market)) return rules;
  const base = (contracts: Decimal | null) => (contracts === null ? null : toBase(market, contracts));
  return {
    ...rules,
    minQuantity: base(rules.minQuantity),
    maxQuantity: base(rules.maxQuantity),
    maxMarketQuantity: base(rules.maxMarketQuantity),
    quantityStep: base(rules.quantityStep),
  };
}

/** The exact rules from the venue's own payload, for the venues whose payload we parse. */
function rawVenueRules(ccxtId: string, market: CcxtMarket): Market | null {
  if (ccxtId === 'binance' && market.spot) return binanceSymbolMetadata(market.info as BinanceExchangeInfoSymbol);
  if (ccxtId === 'okx') return okxSymbolMetadata(market.info as OkxInstrument);
  return null;
}

/**
 * ccxt's fee schedule for the market: the venue's base tier (https://docs.ccxt.com/#/README?id=fee-structure).
 * An account's own tier may be lower; the execution side learns that from its fills.
 */
function feesOf(market: CcxtMarket): Pick<Market, 'makerFee' | 'takerFee'> {
  return { makerFee: optionalDecimal(market.maker), takerFee: optionalDecimal(market.taker) };
}

const ASSET_TYPES: Record<string, AssetType> = { spot: 'SPOT', margin: 'MARGIN', swap: 'PERP', future: 'FUTURE', option: 'OPTION' };

/**
 * The rules from ccxt's unified market and its `features` table (what createOrder accepts per
 * market type), quantities as ccxt counts them (contracts for a derivative).
 */
export function unifiedRules(exchange: Exchange, market: CcxtMarket): Market {
  const assetType = ASSET_TYPES[market.type];
  if (!assetType) throw new Error(`ccxt ${exchange.id} ${market.symbol}: unsupported market type "${market.type}"`);
  const derivative = market.contract === true;
  const features = createOrderFeatures(exchange, market);
  const timeInForce = features.timeInForce ?? {};
  const conditional = features.triggerPrice === true || features.stopLossPrice === true;
  const orderTypes: OrderType[] = ['LIMIT', 'MARKET'];
  if (conditional) orderTypes.push('STOP_MARKET', 'STOP_LIMIT');
  if (features.takeProfitPrice === true) orderTypes.push('TAKE_PROFIT_MARKET', 'TAKE_PROFIT_LIMIT');
  return {
    venue: parseVenueId(exchange.id),
    instrument: validateSymbol(market.symbol),
    venueSymbol: String(market.id),
    assetType,
    base: market.base,
    quote: market.quote,
    settle: derivative ? (market.settle ?? null) : null,
    active: market.active !== false,
    contractSize: derivative ? optionalDecimal(market.contractSize) : null,
    inverse: market.inverse === true,
    expiryMs: market.expiry ?? null,
    strike: optionalDecimal(market.strike),
    optionKind: market.optionType === 'call' ? 'CALL' : market.optionType === 'put' ? 'PUT' : null,
    minQuantity: optionalDecimal(market.limits.amount?.min),
    maxQuantity: optionalDecimal(market.limits.amount?.max),
    maxMarketQuantity: optionalDecimal(market.limits.market?.max),
    quantityStep: precisionStep(exchange, market.precision.amount),
    minPrice: optionalDecimal(market.limits.price?.min),
    maxPrice: optionalDecimal(market.limits.price?.max),
    priceTick: precisionStep(exchange, market.precision.price),
    minNotional: optionalDecimal(market.limits.cost?.min),
    maxNotional: optionalDecimal(market.limits.cost?.max),
    orderTypes,
    timeInForce: (['GTC', 'IOC', 'FOK', 'GTD'] as TimeInForce[]).filter((tif) => timeInForce[tif] === true),
    postOnly: timeInForce.PO === true,
    // ccxt lists no reduce-only feature; every venue ccxt supports accepts it on derivatives only.
    reduceOnly: derivative && exchange.has.createReduceOnlyOrder !== false,
    iceberg: features.icebergAmount === true || features.iceberg === true,
    makerFee: null,
    takerFee: null,
  };
}

interface CreateOrderFeatures {
  triggerPrice?: boolean;
  stopLossPrice?: boolean;
  takeProfitPrice?: boolean;
  timeInForce?: Record<string, boolean>;
  icebergAmount?: boolean;
  iceberg?: boolean;
}

/** `exchange.features[type][linear|inverse].createOrder` for derivatives, `features[type].createOrder` otherwise. */
function createOrderFeatures(exchange: Exchange, market: CcxtMarket): CreateOrderFeatures {
  const byType = (exchange.features?.[market.type] ?? {}) as Record<string, { createOrder?: CreateOrderFeatures } | undefined>;
  const entry = market.contract ? byType[market.inverse ? 'inverse' : 'linear'] : byType;
  return (entry as { createOrder?: CreateOrderFeatures } | undefined)?.createOrder ?? {};
}

function optionalDecimal(value: number | undefined | null): Decimal | null {
  return value === undefined || value === null || !Number.isFinite(value) ? null : new Decimal(String(value));
}
