import { SimulatedBinanceServer, SimulatedBook } from '@crossvenue/connectors';

/** How often the demo books move by a tick, so a person sees something alive. */
const DRIFT_INTERVAL_MS = 1_000;

/** The simulated venue of the demo: BTC/USDT and ETH/USDT books that drift tick by tick. */
export function demoVenue(seed = 1) {
  const books = [
    new SimulatedBook({ mid: '64000', tick: '0.01', depth: 20, quantity: '0.25', quantityStep: '0.1' }),
    new SimulatedBook({ mid: '3100', tick: '0.01', depth: 20, quantity: '2', quantityStep: '0.5' }),
  ];
  const server = new SimulatedBinanceServer([
    { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', book: books[0]! },
    { symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', book: books[1]! },
  ]);
  // A fixed-seed walk: the same run every time, yet the books move.
  let state = seed;
  const timer = setInterval(() => {
    for (const book of books) {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      book.drift((state % 5) - 2);
    }
  }, DRIFT_INTERVAL_MS);
  return {
    server,
    stop: async () => {
      clearInterval(timer);
      await server.stop();
    },
  };
}
