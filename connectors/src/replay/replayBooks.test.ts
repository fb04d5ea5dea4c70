import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal } from '@crossvenue/schemas';
import { describe, expect, it } from 'vitest';
import type { BookEvent } from '../book/BookEvent.ts';
import { replayBooks } from './replayBooks.ts';

const DATA = fileURLToPath(new URL('../../../../shared/data/venues/cryptofeed/sample_data/', import.meta.url));
const capture = (name: string) => join(DATA, name);

async function replay(files: string[], depth = 5) {
  const events: BookEvent[] = [];
  const summary = await replayBooks(files, depth, (event) => events.push(event));
  return { summary, events, books: events.filter((e) => e.type === 'book'), resyncs: events.filter((e) => e.type === 'resync') };
}

/** A copy of a capture with some received frames removed or rewritten, to break it on purpose. */
function edited(name: string, edit: (lines: string[]) => string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'capture-')), name);
  writeFileSync(path, edit(readFileSync(capture(name), 'utf8').split('\n')).join('\n'));
  return path;
}

describe.skipIf(!existsSync(DATA))('book replay of recorded venue traffic (cryptofeed captures)', () => {
  it('keeps every Binance spot book in sync from its snapshot, never crossed, sequences rising', async () => {
    const { books, resyncs } = await replay([capture('BINANCE.http.0.0'), capture('BINANCE.ws.1.0')]);
    expect(resyncs).toEqual([]);
    expect(new Set(books.map((b) => b.symbol))).toEqual(new Set(['NKNUSDT', 'BLZETH', 'LRCBTC', 'RUNEEUR']));
    for (const symbol of ['NKNUSDT', 'BLZETH', 'LRCBTC', 'RUNEEUR']) {
      const ofSymbol = books.filter((b) => b.symbol === symbol) as Array<BookEvent & { type: 'book' }>;
      expect(ofSymbol[0]!.source).toBe('snapshot');
      const sequences = ofSymbol.map((b) => b.sequence!);
      expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      for (const book of ofSymbol) expect(new Decimal(book.bids[0]![0]).lessThan(book.asks[0]![0])).toBe(true);
    }
  });

  it.each([
    ['USD-M futures (pu chain)', 'BINANCE_FUTURES'],
    ['COIN-M futures (pu chain)', 'BINANCE_DELIVERY'],
    ['Binance.US spot', 'BINANCE_US'],
  ])('keeps %s books in sync', async (_, name) => {
    const { books, resyncs } = await replay([capture(`${name}.http.0.0`), capture(`${name}.ws.1.0`)]);
    expect(resyncs).toEqual([]);
    expect(books.length).toBeGreaterThan(100);
  });

  it('reports a resync, not a wrong book, when a Binance diff is missing', async () => {
    // The 11th NKNUSDT diff arrives about a second after the snapshot, well inside the synced stream.
    const gappy = edited('BINANCE.ws.1.0', (lines) => {
      const diffs = lines.flatMap((line, i) => (line.includes('"nknusdt@depth@100ms"') ? [i] : []));
      return lines.filter((_, i) => i !== diffs[10]);
    });
    const { resyncs, books } = await replay([capture('BINANCE.http.0.0'), gappy]);
    expect(resyncs).toHaveLength(1);
    expect(resyncs[0]).toMatchObject({ venue: 'binance', symbol: 'NKNUSDT', reason: expect.stringMatching(/^sequence gap: previous u \d+, got U \d+$/) });
    // Nothing more is published for that book: it waits for a fresh snapshot.
    const resyncAt = books.findLastIndex((b) => b.symbol === 'NKNUSDT');
    expect(books.slice(resyncAt + 1).some((b) => b.symbol === 'NKNUSDT')).toBe(false);
  });

  it('verifies the CRC32 checksum of every OKX book update and resyncs on a mismatch', async () => {
    const clean = await replay([capture('OKX.ws.1.0')]);
    expect(clean.resyncs).toEqual([]);
    expect(clean.books).toHaveLength(290);

    let tampered = false;
    const corrupt = edited('OKX.ws.1.0', (lines) =>
      lines.map((line) => {
        if (tampered || !line.includes('"action":"update"') || !line.includes('"BTC-USDT"')) return line;
        tampered = true;
        // A size changed in flight: the book would be wrong, so the checksum must catch it.
        return line.replace(/(\["[\d.]+",")([\d.]+)(")/, (_, head, size, tail) => `${head}${size}1${tail}`);
      }),
    );
    const { resyncs } = await replay([corrupt]);
    expect(tampered).toBe(true);
    expect(resyncs).toEqual([expect.objectContaining({ venue: 'okx', symbol: 'BTC-USDT', reason: expect.stringContaining('checksum mismatch') })]);
  });

  it('verifies the CRC32 checksum of every Kraken book update (ws v1, book-1000): zero resyncs', async () => {
    const { books, resyncs } = await replay([capture('KRAKEN.ws.50.0')]);
    expect(resyncs).toEqual([]);
    // 10 snapshots and 4,269 checked updates (MANIFEST.md).
    expect(books.filter((b) => b.source === 'snapshot')).toHaveLength(10);
    expect(books).toHaveLength(4279);
    for (const book of books) expect(new Decimal(book.bids[0]![0]).lessThan(book.asks[0]![0])).toBe(true);
  });

  /** The lines of the recorded XMR/USD updates, and the receive time of a line in ms. */
  const xmrUpdates = (lines: string[]) => lines.flatMap((line, i) => (line.endsWith('"book-1000","XMR/USD"]') && !line.includes('"as"') ? [i] : []));
  const receivedAtMs = (line: string) => Math.round(Number(line.slice(0, line.indexOf(':'))) * 1000);
  const krakenLines = () => readFileSync(capture('KRAKEN.ws.50.0'), 'utf8').split('\n');

  it('reports a Kraken resync at the update whose checksum was corrupted', async () => {
    const lines = krakenLines();
    const target = xmrUpdates(lines)[20]!;
    const corrupt = edited('KRAKEN.ws.50.0', (all) => all.map((line, i) => (i === target ? line.replace(/"c":"(\d+)"/, (_, c: string) => `"c":"${(Number(c) + 1) % 2 ** 32}"`) : line)));
    const { resyncs, books } = await replay([corrupt]);
    expect(resyncs).toEqual([{ type: 'resync', venue: 'kraken', symbol: 'XMR/USD', reason: expect.stringMatching(/^checksum mismatch: venue \d+, book \d+$/), receivedAtMs: receivedAtMs(lines[target]!) }]);
    // Nothing more is published for that book: it waits for a fresh snapshot, which a replay never brings.
    expect(books.filter((b) => b.symbol === 'XMR/USD')).toHaveLength(21);
  });

  it('reports a Kraken resync at the update after a deleted one: its checksum no longer matches', async () => {
    // Kraken ws v1 has no sequence number: a lost update shows only when a later checksum covers
    // what it changed. The 20th XMR/USD update removes the ask 355.34 (inside the top ten) and the
    // next one changes a bid, so the ask left behind breaks that next checksum. (Losing the 21st
    // would go unseen: the 22nd overwrites the same level.)
    const lines = krakenLines();
    const [deleted, next] = xmrUpdates(lines).slice(19, 21);
    expect(lines[deleted!]).toContain('"a":[["355.34000000","0.00000000"');
    const { resyncs } = await replay([edited('KRAKEN.ws.50.0', (all) => all.filter((_, i) => i !== deleted))]);
    expect(resyncs).toEqual([expect.objectContaining({ venue: 'kraken', symbol: 'XMR/USD', reason: expect.stringContaining('checksum mismatch'), receivedAtMs: receivedAtMs(lines[next!]!) })]);
  });

  it('says which line of which file is not a capture', async () => {
    const bad = edited('OKX.ws.1.0', (lines) => [lines[0]!, 'garbage line', ...lines.slice(1)]);
    await expect(replay([bad])).rejects.toThrow(`${bad}:2: not a cryptofeed capture line`);
  });
});
