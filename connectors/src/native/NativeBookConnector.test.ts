import { createLogger, InProcessBus, MessageBus } from '@crossvenue/runtime';
import { LocalCodec } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import { NativeBookConnector } from './NativeBookConnector.ts';

describe('NativeBookConnector', () => {
  const logger = createLogger('native-books-test', { level: 'silent' });
  const messages = new MessageBus(new InProcessBus(), new LocalCodec(), logger);
  const connector = (kind: 'okx' | 'binance', instruments: string[]) => new NativeBookConnector({ kind, instruments, depth: 5, bookIntervalMs: 0, messages, logger });

  it('refuses OKX swaps and futures, whose books count contracts, at construction and with the reason', () => {
    expect(() => connector('okx', ['BTC/USDT', 'BTC/USDT:USDT'])).toThrow('native okx books: BTC/USDT:USDT count contracts, which this feed does not convert to the base asset yet');
    expect(() => connector('okx', ['BTC/USDT'])).not.toThrow();
  });
});
