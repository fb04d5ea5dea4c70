import { CaptureFormatError, replayBooks, type BookEvent } from '@crossvenue/connectors';
import { settings } from '@crossvenue/schemas';
import { parseArgs, UsageError } from '../args.ts';

/**
 * `crossvenue md replay <capture files…> [--depth N] [--json]`: replays recorded venue traffic
 * (cryptofeed's raw-data format) through the connectors' book synchronizers and prints one line
 * per book event and per resync; the summary goes to stderr.
 */
export async function mdCommand(argv: string[]): Promise<number> {
  const { positionals, options, flags } = parseArgs(argv, new Set(['depth']));
  const [action, ...files] = positionals;
  if (action !== 'replay') throw new UsageError(`md needs replay, got ${action ? `"${action}"` : 'nothing'}`);
  if (files.length === 0) throw new UsageError('md replay needs at least one capture file');
  const depth = settings.positiveInteger('--depth', 5, { '--depth': options.get('depth') });
  const json = flags.has('json');
  try {
    const summary = await replayBooks(files, depth, (event) => console.log(json ? JSON.stringify(event) : describe(event)));
    console.error(`md replay: ${summary.payloads} payloads, ${summary.bookEvents} book events, ${summary.resyncs} resyncs`);
    return 0;
  } catch (error) {
    if (error instanceof CaptureFormatError) throw new UsageError(error.message);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`cannot read ${(error as NodeJS.ErrnoException).path}`);
    throw error;
  }
}

function describe(event: BookEvent): string {
  if (event.type === 'resync') return `${event.receivedAtMs} ${event.venue} ${event.symbol} RESYNC ${event.reason}`;
  const [bid, ask] = [event.bids[0], event.asks[0]];
  return `${event.receivedAtMs} ${event.venue} ${event.symbol} ${event.source} #${event.sequence ?? '-'} bid ${bid?.join(' x ') ?? '-'} ask ${ask?.join(' x ') ?? '-'}`;
}
