import { Decimal, type BookSnapshot } from '@crossvenue/schemas';
import type { Strategy, StrategyContext, StrategyFactory } from '@crossvenue/processors';

/**
 * A test strategy module: on the first book of `instrument` it rests a GTC buy 1 % under the best
 * bid, and cancels it `cancelAfterMs` later (on its timer): an order that rests and is canceled
 * through the whole pipeline.
 */
const restAndCancel: StrategyFactory = (settings) => {
  const instrument = settings.instrument as string;
  const cancelAfterMs = settings.cancelAfterMs as number;
  let placed: { intentId: string; atMs: number } | undefined;
  let canceled = false;
  const strategy: Strategy = {
    instruments: [instrument],
    timerMs: 100,
    async onBook(book: BookSnapshot, context: StrategyContext) {
      const bid = book.bids[0];
      if (placed || !bid) return;
      const limitPrice = new Decimal(bid.price).times('0.99').toDecimalPlaces(1, Decimal.ROUND_DOWN).toFixed();
      placed = { intentId: await context.place({ instrument, side: 'BUY', amount: '0.01', limitPrice, timeInForce: 'GTC' }), atMs: context.now() };
    },
    async onTimer(context: StrategyContext) {
      if (!placed || canceled || context.now() - placed.atMs < cancelAfterMs) return;
      canceled = true;
      await context.cancel(placed.intentId);
    },
  };
  return strategy;
};

export default restAndCancel;
