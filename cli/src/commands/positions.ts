import { readFileSync } from 'node:fs';
import { InvalidInputError } from '@crossvenue/schemas';
import { PositionLedger } from '@crossvenue/processors';
import { parseArgs, UsageError } from '../args.ts';
import { parseFillLine } from '../formats/parseFillLine.ts';
import { lastFillPrices, positionsReport, type PositionsReport } from '../formats/positionsReport.ts';

export const HELP = `usage: crossvenue positions replay <fills.ndjson> [--quote CURRENCY] [--json]

  Folds a file of fills, one JSON object per line:
    {"venue":"binance","account":"main","symbol":"BTC/USDT","side":"BUY","price":"64000.5","qty":"0.01",
     "fee":"0.0064","feeCurrency":"USDT","tradeId":"123","ts":1700000000000,"portfolio":"desk"}
  (amounts are decimal strings, ts is epoch ms, portfolio defaults to "default"), each fill once by
  (venue, account, tradeId), in venue-time order whatever the file order, and prints positions per
  account, venue and instrument and per underlying, with realized PnL and fees. Unrealized PnL is
  marked at the last fill price of each instrument. --quote values PnL and fees in one currency
  through the fill prices (amounts with no conversion path are listed apart, unvalued).

  A bad line is reported on stderr as <file>:<line>: <what is wrong>, and skipped.
  Exit codes: 0 every line folded; 3 some lines were skipped; 2 usage error or unreadable file.`;

const SKIPPED_LINES_EXIT_CODE = 3;

/** `crossvenue positions replay <fills.ndjson> [--quote X] [--json]`. */
export async function positionsCommand(argv: string[]): Promise<number> {
  const { positionals, flags, options } = parseArgs(argv, { valued: ['quote'], flags: ['json'] });
  const [action, file, ...rest] = positionals;
  if (action !== 'replay') throw new UsageError(`positions needs replay, got ${JSON.stringify(action ?? '')}; run 'crossvenue positions --help'`);
  if (!file || rest.length > 0) throw new UsageError('positions replay needs exactly one fills file');
  const quote = options.get('quote') ?? null;
  if (quote === '') throw new UsageError('--quote needs a currency, e.g. --quote USDT');

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }

  const ledger = new PositionLedger();
  let skipped = 0;
  let duplicates = 0;
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${file}:${index + 1}`;
    try {
      const added = ledger.add(parseFillLine(line));
      if (added.outcome === 'duplicate') duplicates += 1;
      if (added.outcome === 'conflict') throw new InvalidInputError(`trade ${added.kept.tradeId} of ${added.kept.venue}/${added.kept.account} was read before with other content; the first is kept`);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      skipped += 1;
      console.error(`${where}: ${error.message}`);
    }
  });

  const positions = ledger.positions();
  const report = positionsReport(positions, lastFillPrices(positions), quote);
  if (flags.has('json')) console.log(JSON.stringify({ ...report, fills: ledger.fillCount, duplicates, skippedLines: skipped }, null, 2));
  else console.log(render(report, { fills: ledger.fillCount, duplicates, skipped }));
  return skipped > 0 ? SKIPPED_LINES_EXIT_CODE : 0;
}


function render(report: PositionsReport, counts: { fills: number; duplicates: number; skipped: number }): string {
  const money = (amounts: Record<string, string>) => Object.entries(amounts).map(([c, a]) => `${a} ${c}`).join(', ') || '0';
  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
    return [header, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
  };
  const lines = [
    table(
      ['portfolio', 'account', 'venue', 'instrument', 'quantity', 'avg entry', 'mark', 'realized', 'unrealized', 'fees', 'fills'],
      report.positions.map((p) => [
        p.portfolio, p.account, p.venue, p.instrument, p.quantity, p.averageEntryPrice ?? '-', p.markPrice ?? '-',
        `${p.realizedPnl} ${p.quoteCurrency}`, p.unrealizedPnl === null ? '-' : `${p.unrealizedPnl} ${p.quoteCurrency}`, money(p.fees), String(p.fills),
      ]),
    ),
    '',
    table(
      ['portfolio', 'underlying', 'net', 'gross', 'realized', 'fees', 'positions'],
      report.underlyings.map((u) => [u.portfolio, u.underlying, u.netQuantity, u.grossQuantity, money(u.realizedPnl), money(u.fees), String(u.positions)]),
    ),
  ];
  const v = report.valuation;
  if (v) {
    lines.push('', `in ${v.currency}: realized ${v.realizedPnl}, unrealized ${v.unrealizedPnl}, fees ${v.fees}, net ${v.netPnl}`);
    const unvalued = Object.entries(v.unvalued).filter(([, amounts]) => Object.keys(amounts).length > 0);
    if (unvalued.length > 0) lines.push(`no conversion path to ${v.currency}, left out: ${unvalued.map(([kind, amounts]) => `${kind} ${money(amounts)}`).join('; ')}`);
  }
  lines.push('', `${counts.fills} fills folded, ${counts.duplicates} duplicates ignored, ${counts.skipped} lines skipped`);
  return lines.join('\n');
}
