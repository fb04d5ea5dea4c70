import { Decimal, formatDecimal, type Fill } from '@crossvenue/schemas';
import type { PositionFill } from './PositionFill.ts';

const KEYS = [
  { portfolio: 'p1', account: 'a1', venue: 'binance', instrument: 'BTC/USDT' },
  { portfolio: 'p1', account: 'a2', venue: 'okx', instrument: 'BTC/USDT:USDT' },
  { portfolio: 'p1', account: 'a1', venue: 'binance', instrument: 'ETH/USDT' },
  { portfolio: 'p2', account: 'a3', venue: 'okx', instrument: 'ETH/USD' },
];

/**
 * `count` distinct fills over a few positions, with prices and sizes that make positions flip
 * through zero. With a portfolio, trade ids carry it too: fill identities must not collide with
 * other runs' fills on a shared topic.
 */
export function randomFills(random: () => number, count: number, portfolio?: string): PositionFill[] {
  return Array.from({ length: count }, (_, index) => {
    const key = KEYS[Math.floor(random() * KEYS.length)]!;
    return {
      ...key,
      ...(portfolio && { portfolio }),
      tradeId: `${portfolio ?? ''}t${index}`,
      side: random() < 0.5 ? 'BUY' : 'SELL',
      price: new Decimal(1000 + Math.floor(random() * 100_000)).dividedBy(100),
      quantity: new Decimal(1 + Math.floor(random() * 5000)).dividedBy(1000),
      fee: new Decimal(Math.floor(random() * 100) - 10).dividedBy(10_000),
      feeCurrency: random() < 0.8 ? 'USDT' : 'BNB',
      // Few distinct times, so trade ids break many ties.
      venueTimeMs: 1_700_000_000_000 + Math.floor(random() * count) * 10,
    };
  });
}

/** The same fills shuffled, with about `duplicateShare` of them sent twice. */
export function shuffledWithDuplicates(random: () => number, fills: PositionFill[], duplicateShare: number): PositionFill[] {
  const delivered = [...fills, ...fills.filter(() => random() < duplicateShare).map((fill) => ({ ...fill }))];
  for (let i = delivered.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [delivered[i], delivered[j]] = [delivered[j]!, delivered[i]!];
  }
  return delivered;
}

/** The wire form of a generated fill, as a connector would publish it. */
export function fillMessage(fill: PositionFill): Fill {
  return {
    eventId: `fill:${fill.venue}:${fill.account}:${fill.tradeId}`,
    venue: fill.venue,
    account: fill.account,
    portfolio: fill.portfolio,
    venueTradeId: fill.tradeId,
    clientOrderId: `c${fill.tradeId}`,
    venueOrderId: `o${fill.tradeId}`,
    intentId: null,
    instrument: fill.instrument,
    side: fill.side,
    price: formatDecimal(fill.price),
    quantity: formatDecimal(fill.quantity),
    fee: formatDecimal(fill.fee),
    feeCurrency: fill.feeCurrency,
    liquidity: 'TAKER',
    venueTimeMs: fill.venueTimeMs,
    receivedAtMs: fill.venueTimeMs + 5,
    source: 'VENUE',
  };
}
