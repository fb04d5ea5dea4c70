import { Decimal, formatDecimal, type MarginFigures, type VenuePosition } from '@crossvenue/schemas';
import type { Position } from 'ccxt';
import { fromOptionalCcxtNumber } from './ccxtValues.ts';

/**
 * A derivatives position as the venue reports it (https://docs.ccxt.com/#/README?id=position-structure):
 * ccxt's `contracts` is unsigned with the side apart; ours is signed, in contracts (the venue order
 * unit, as our fills of the instrument are). The venue's leverage, margin mode, initial margin,
 * liquidation price and unrealized PnL ride along: the venue decides them, the positions worker
 * shows them on our position.
 */
export function venuePositionOf(position: Position): VenuePosition {
  if (!position.symbol) throw new Error('ccxt position: missing symbol');
  const contracts = new Decimal(fromOptionalCcxtNumber(position.contracts) ?? '0');
  return {
    instrument: position.symbol,
    quantity: formatDecimal(position.side === 'short' ? contracts.negated() : contracts),
    entryPrice: fromOptionalCcxtNumber(position.entryPrice),
    markPrice: fromOptionalCcxtNumber(position.markPrice),
    unrealizedPnl: fromOptionalCcxtNumber(position.unrealizedPnl),
    margin: marginOf(position),
  };
}

function marginOf(position: Position): MarginFigures | null {
  const margin: MarginFigures = {
    leverage: fromOptionalCcxtNumber(position.leverage),
    marginMode: position.marginMode ?? null,
    initialMargin: fromOptionalCcxtNumber(position.initialMargin),
    // ccxt leaves it undefined where the venue sends 0 (no liquidation in reach).
    liquidationPrice: fromOptionalCcxtNumber(position.liquidationPrice),
  };
  return Object.values(margin).every((value) => value === null) ? null : margin;
}
