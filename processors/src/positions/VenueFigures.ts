import { formatNullableDecimal, parseNullableDecimal, parseSymbol, type Decimal, type MarginFigures, type VenueSnapshot } from '@crossvenue/schemas';
import type { PositionState } from './PositionState.ts';

/** What the venue reported for one derivatives position: figures it decides, never our quantities. */
export interface VenueFigures {
  markPrice: Decimal | null;
  /** Its leverage, margin mode, initial margin and liquidation price, as decimal strings checked at the boundary. */
  margin: MarginFigures | null;
  /** When the connector received the snapshot that carried them. */
  reportedAtMs: number;
}

interface AccountFigures {
  receivedAtMs: number;
  eventId: string;
  byInstrument: Map<string, VenueFigures>;
}

type AccountKey = Pick<PositionState, 'portfolio' | 'account' | 'venue'>;
const accountKey = (key: AccountKey) => `${key.portfolio}|${key.account}|${key.venue}`;

/**
 * The latest venue snapshot's derivatives figures of each account. A snapshot lists every
 * derivatives position of its account, so a newer one replaces the account's figures whole (an
 * instrument it leaves out is flat at the venue). "Latest" is by the connector's receive time, then
 * event id, never by arrival: a replay of the snapshots topic in any order ends on the same figures.
 */
export class VenueFiguresBook {
  private readonly accounts = new Map<string, AccountFigures>();

  /** Takes a snapshot's figures if it is its account's latest; false for an older one. Throws InvalidInputError on a bad decimal. */
  apply(snapshot: VenueSnapshot): boolean {
    const key = accountKey(snapshot);
    const known = this.accounts.get(key);
    if (known && (known.receivedAtMs > snapshot.receivedAtMs || (known.receivedAtMs === snapshot.receivedAtMs && known.eventId >= snapshot.eventId))) return false;
    const where = (instrument: string, name: string) => `venue snapshot ${snapshot.eventId} ${instrument} ${name}`;
    const byInstrument = new Map(
      snapshot.positions.map(({ instrument, markPrice, margin }): [string, VenueFigures] => [
        instrument,
        {
          markPrice: parseNullableDecimal(markPrice, where(instrument, 'markPrice')),
          margin: margin && checked(margin, (name) => where(instrument, name)),
          reportedAtMs: snapshot.receivedAtMs,
        },
      ]),
    );
    this.accounts.set(key, { receivedAtMs: snapshot.receivedAtMs, eventId: snapshot.eventId, byInstrument });
    return true;
  }

  /** The venue's figures for an open derivatives position, or null (spot, flat, before a snapshot, or not listed by the venue). */
  figures(position: PositionState): VenueFigures | null {
    if (position.quantity.isZero()) return null;
    return this.accounts.get(accountKey(position))?.byInstrument.get(position.instrument) ?? null;
  }

  /** Whether a position's figures come from this account's snapshots: a derivative of the snapshot's account. */
  static covers(snapshot: AccountKey, position: PositionState): boolean {
    return accountKey(snapshot) === accountKey(position) && parseSymbol(position.instrument).settle !== undefined;
  }
}

/** The margin figures with their decimals checked and in wire form. */
function checked(margin: MarginFigures, where: (name: string) => string): MarginFigures {
  const canonical = (name: 'leverage' | 'initialMargin' | 'liquidationPrice') => formatNullableDecimal(parseNullableDecimal(margin[name], where(name)));
  return { leverage: canonical('leverage'), marginMode: margin.marginMode, initialMargin: canonical('initialMargin'), liquidationPrice: canonical('liquidationPrice') };
}
