import type { OrderType, AssetType, Market } from '@crossvenue/schemas';
import {
  parseDecimal,
  type Decimal,
  InvalidInputError,
  parseVenueId,
  formatSymbol,
} from '@crossvenue/schemas';

/**
 * One instrument of OKX GET /api/v5/public/instruments, as far as we read it. OKX writes every
 * number as a string and an absent one as "":
 * https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments
 */
export interface OkxInstrument {
  instType: string;
  instId: string;
  /** "BTC-USD": base and quote of a derivative, whose baseCcy and quoteCcy are "". */
  uly: string;
  instFamily?: string;
  baseCcy: string;
  quoteCcy: string;
  settleCcy: string;
  ctVal: string;
  ctMult: string;
  ctType: string;
  expTime: string;
  stk: string;
  optType: string;
  tickSz: string;
  lotSz: string;
  minSz: string;
  maxLmtSz: string;
  maxMktSz: string;
  state: string;
}

const ASSET_TYPES: Record<string, AssetType> = {
  SPOT: 'SPOT',
  MARGIN: 'MARGIN',
  SWAP: 'PERP',
  FUTURES: 'FUTURE',
  OPTION: 'OPTION',
};

const ALL_ORDER_TYPES: OrderType[] = ['MARKET', 'LIMIT', 'STOP_MARKET', 'STOP_LIMIT', 'TAKE_PROFIT_MARKET', 'TAKE_PROFIT_LIMIT'];

/** The symbol metadata of one OKX instrument, named as ccxt names it. */
export function okxSymbolMetadata(raw: OkxInstrument): Market {
  const assetType = ASSET_TYPES[raw.instType];
  if (!assetType) throw new InvalidInputError(`okx ${raw.instId}: unknown instType ${JSON.stringify(raw.instType)}`);
  const decimal = (field: keyof OkxInstrument) => optionalDecimal(raw, field);
  const derivative = assetType !== 'SPOT' && assetType !== 'MARGIN';
  const [base = '', quote = ''] = derivative ? (raw.instFamily || raw.uly).split('-') : [raw.baseCcy, raw.quoteCcy];
  const expiryMs = parseExpiry(raw);
  const option = assetType === 'OPTION';
  const ctVal = decimal('ctVal');
  const ctMult = decimal('ctMult');
  return {
    venue: parseVenueId('okx'),
    instrument: formatSymbol({
      base,
      quote,
      ...(derivative && { settle: raw.settleCcy }),
      ...(expiryMs !== null && { expiry: yymmdd(expiryMs) }),
      ...(option && { strike: raw.stk, optionType: raw.optType as 'C' | 'P' }),
    }),
    venueSymbol: raw.instId,
    assetType,
    base,
    quote,
    settle: derivative ? raw.settleCcy : null,
    active: raw.state === 'live',
    // One contract is worth ctVal x ctMult: a 2022 BTC option, ctVal 1 and ctMult 0.1, is 0.1 BTC.
    contractSize: ctVal && ctMult ? ctVal.times(ctMult) : ctVal,
    inverse: raw.ctType === 'inverse',
    expiryMs,
    strike: decimal('stk'),
    optionKind: option ? (raw.optType === 'C' ? 'CALL' : 'PUT') : null,
    minQuantity: decimal('minSz'),
    maxQuantity: decimal('maxLmtSz'),
    maxMarketQuantity: decimal('maxMktSz'),
    quantityStep: decimal('lotSz'),
    // OKX has no fixed price bounds (its price limits move with the market) and no min notional.
    minPrice: null,
    maxPrice: null,
    priceTick: decimal('tickSz'),
    minNotional: null,
    maxNotional: null,
    // Conditional orders go through OKX algo orders; options take limit orders only:
    // https://www.okx.com/docs-v5/en/#order-book-trading-trade-post-place-order (ordType)
    orderTypes: option ? ['LIMIT'] : ALL_ORDER_TYPES,
    timeInForce: ['GTC', 'IOC', 'FOK'],
    postOnly: true,
    // reduceOnly "only applicable to MARGIN orders, and FUTURES/SWAP orders in net mode".
    reduceOnly: assetType === 'MARGIN' || assetType === 'PERP' || assetType === 'FUTURE',
    iceberg: !option,
    // Fees depend on the account's tier: GET /api/v5/account/trade-fee.
    makerFee: null,
    takerFee: null,
  };
}

function optionalDecimal(raw: OkxInstrument, field: keyof OkxInstrument): Decimal | null {
  const value = raw[field];
  return value === '' || value === undefined ? null : parseDecimal(value, `okx ${raw.instId} ${field}`);
}

/** Expiry of a future or option in epoch ms; OKX writes "" when there is none. */
function parseExpiry(raw: OkxInstrument): number | null {
  if (raw.expTime === '') return null;
  if (!/^\d{1,15}$/.test(raw.expTime)) {
    throw new InvalidInputError(`okx ${raw.instId} expTime: ${JSON.stringify(raw.expTime)} is not epoch milliseconds`);
  }
  return Number(raw.expTime);
}

/** The expiry as ccxt writes it in a symbol: YYMMDD of the expiry in UTC. */
function yymmdd(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(2, 10).replaceAll('-', '');
}
