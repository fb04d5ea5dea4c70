import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@crossvenue/runtime';
import { errorMessage } from '../failureKind.ts';

export interface StreamControl {
  /** Aborted when the market data stops: ends every loop and pause at once. */
  signal: AbortSignal;
  retryDelayMs: number;
  logger: Logger;
}

/**
 * Runs one market-data stream until stopped. A failed `next` (a ccxt watch rejects when its
 * connection drops; the next call reconnects) is retried after `retryDelayMs`. A payload that
 * cannot be converted is logged and skipped: bad input never stops the stream. `next` is called
 * again as soon as it resolves, before the item is handled: ccxt wakes only a watch that is
 * waiting, so a trade that arrived while we published the last one would otherwise wait unseen
 * for the next.
 */
export async function repeatStream<T>(name: string, next: () => Promise<T>, handle: (item: T) => Promise<void>, control: StreamControl): Promise<void> {
  const { signal, logger } = control;
  const armed = () => {
    const pending = next();
    pending.catch(() => undefined); // observed where awaited; one left pending at stop must not go unhandled
    return pending;
  };
  let pending = armed();
  while (!signal.aborted) {
    let item: T;
    try {
      item = await pending;
    } catch (error) {
      if (signal.aborted) return;
      logger.warn({ stream: name, err: errorMessage(error) }, `market data ${name} interrupted; retrying in ${control.retryDelayMs} ms`);
      if (!(await pause(control.retryDelayMs, signal))) return;
      pending = armed();
      continue;
    }
    pending = armed();
    try {
      await handle(item);
    } catch (error) {
      logger.warn({ stream: name, err: errorMessage(error) }, `market data ${name}: payload skipped`);
    }
  }
}

/** `fetch` at once, then every `intervalMs`: a REST poll shaped like a watch. */
export function pollEvery<T>(intervalMs: number, fetch: () => Promise<T>, signal: AbortSignal): () => Promise<T> {
  let first = true;
  return async () => {
    if (!first && !(await pause(intervalMs, signal))) throw new Error('stopped');
    first = false;
    return fetch();
  };
}

/** Waits `ms`; false when the signal aborted the wait. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
