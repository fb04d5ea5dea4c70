import { Decimal, formatDecimal, type MarginFigures, type VenuePosition } from '@crossvenue/schemas';
import type { Position } from 'ccxt';
import { fromOptionalCcxtNumber } from './ccxtValues.ts';
import { toBase, type ContractTerms } from './contractUnits.ts';

/**
 * A derivatives position as the venue reports it (https://docs.ccxt.com/#/README?id=position-structure):
 * ccxt's `contracts` is unsigned with the side apart; ours is signed, in the base asset (contracts
 * times the contract size of `market`, the position's ccxt market: contractUnits.ts), as our fills
 * of the instrument are. Without `market` the contracts are taken as base units. The venue's leverage, margin mode, initial margin,
 * liquidation price and unrealized PnL ride along: the venue decides them, the positions worker
 * shows them on our position.
 */
export function venuePositionOf(position: Position, market?: ContractTerms): VenuePosition {
  if (!position.symbol) throw new Error('ccxt position: missing symbol');
  const contracts = fromOptionalCcxtNumber(position.contracts) ?? '0';
  const base = market ? toBase(market, contracts) : new Decimal(contracts);
  return {
    instrument: position.symbol,
    quantity: formatDecimal(position.side === 'short' ? base.negated() : base),
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
