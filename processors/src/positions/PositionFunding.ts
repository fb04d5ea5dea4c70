import { InvalidInputError, parseDecimal, parseSymbol, type Decimal, type FundingPayment } from '@crossvenue/schemas';

/** A funding payment parsed for folding: its identity is (venue, account, fundingId), as a fill's is (venue, account, venueTradeId). */
export interface PositionFunding {
  portfolio: string;
  account: string;
  venue: string;
  instrument: string;
  fundingId: string;
  /** Signed, in the position's quote currency: positive received. */
  amount: Decimal;
  venueTimeMs: number;
}

export function fundingIdentity(payment: Pick<PositionFunding, 'venue' | 'account' | 'fundingId'>): string {
  return `${payment.venue}|${payment.account}|${payment.fundingId}`;
}

/**
 * Parses a payment; one in another currency than its instrument's quote (an inverse contract's,
 * paid in the base asset) is refused: the position's funding is kept in its quote currency.
 */
export function positionFundingOf(payment: FundingPayment): PositionFunding {
  const where = `funding payment ${payment.venue}/${payment.account}/${payment.fundingId}`;
  const { quote } = parseSymbol(payment.instrument);
  if (payment.currency !== quote) throw new InvalidInputError(`${where}: paid in ${payment.currency}, not ${quote}, the quote currency of ${payment.instrument}`);
  const { portfolio, account, venue, instrument, fundingId, venueTimeMs } = payment;
  return { portfolio, account, venue, instrument, fundingId, amount: parseDecimal(payment.amount, `${where} amount`), venueTimeMs };
}
