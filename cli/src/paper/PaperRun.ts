import type { ApiKeys } from '@crossvenue/gateway';
import { ALL_TOPICS, LocalCodec } from '@crossvenue/schemas';
import { InProcessBus, MessageBus, type Logger } from '@crossvenue/runtime';
import { startPipeline } from '../embedded/pipeline.ts';
import { StopStack } from '../embedded/StopStack.ts';
import type { PaperSettings } from './paperSettings.ts';
import { PAPER_ACCOUNT, PaperVenue } from './PaperVenue.ts';

/** The portfolio the paper accounts belong to: orders through the API name it. */
export const PAPER_PORTFOLIO = 'paper';

export interface PaperRunOptions {
  settings: PaperSettings;
  /** The gateway's port on loopback; 0 takes any free port. */
  gatewayPort: number;
  keys: ApiKeys;
  logger: Logger;
}

export interface PaperRun {
  gatewayUrl: string;
  /** The paper venues, by name. */
  venues: string[];
  /** The run's bus: what an observer (a test, a tool in the same process) subscribes to. */
  messages: MessageBus;
  stop(): Promise<void>;
}

/**
 * Paper trading (DESIGN.md "Backtest and paper"): the embedded run's pipeline (router, risk and
 * execution, positions, gateway and dashboard, the demo strategy) on the in-process bus, over live
 * public books with simulated fills: per chosen venue a PaperVenue (native book adapter, matching
 * engine on those books, paper balances). It never places a real order: there is no ccxt
 * connector, no credential (paperSettings refuses them), and every order event, fill and balance
 * is on the account `paper` of the portfolio `paper`.
 */
export async function startPaperRun(options: PaperRunOptions): Promise<PaperRun> {
  const { logger, settings } = options;
  const codec = new LocalCodec();
  const messages = new MessageBus(new InProcessBus(), codec, logger);
  const parts = new StopStack();
  parts.push({ stop: () => messages.bus.close() });
  await messages.prepare(ALL_TOPICS);
  logger.warn({ venues: settings.venues.map((venue) => venue.kind), symbols: settings.symbols }, 'PAPER TRADING: live public books, simulated fills; no order is ever sent to a venue');

  return parts.guard(async () => {
    const venues: PaperVenue[] = [];
    for (const venue of settings.venues) {
      const paper = new PaperVenue({ settings: venue, instruments: settings.symbols, portfolio: PAPER_PORTFOLIO, balances: settings.balances, messages, logger });
      await paper.start();
      parts.push(paper);
      venues.push(paper);
      logger.info({ venue: venue.kind, wsUrl: venue.wsUrl ?? 'live', latencyMs: venue.latencyMs }, `paper venue ${venue.kind} following ${venue.wsUrl ?? 'the live venue'}`);
    }
    const gatewayUrl = await startPipeline(parts, {
      messages,
      codec,
      logger,
      accounts: venues.map((venue) => ({ venue: venue.venue, account: PAPER_ACCOUNT })),
      portfolio: PAPER_PORTFOLIO,
      gatewayPort: options.gatewayPort,
      keys: options.keys,
      strategy: settings.strategy,
    });
    return { gatewayUrl, venues: venues.map((venue) => venue.venue), messages, stop: () => parts.stopAll() };
  });
}
