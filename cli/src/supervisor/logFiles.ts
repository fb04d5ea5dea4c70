import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LogSource {
  /** The process id (the file's name without `.log`), or "supervisor". */
  id: string;
  file: string;
}

/** Every log file of the run folder, or those of one id, or of every id of one worker (`execution` → `execution-1`, `execution-2`). */
export function logSources(logsDir: string, selector?: string): LogSource[] {
  const all = existsSync(logsDir)
    ? readdirSync(logsDir)
        .filter((name) => name.endsWith('.log'))
        .map((name) => ({ id: name.slice(0, -'.log'.length), file: join(logsDir, name) }))
    : [];
  if (selector === undefined) return all;
  const exact = all.filter(({ id }) => id === selector);
  return exact.length > 0 ? exact : all.filter(({ id }) => id.startsWith(`${selector}-`) || id.startsWith(`${selector}.`));
}

const CHUNK = 64 * 1024;

/** The last `count` complete lines of a file, reading backwards from its end. */
export function lastLines(file: string, count: number): string[] {
  if (count <= 0) return [];
  const fd = openSync(file, 'r');
  try {
    let position = fstatSync(fd).size;
    let text = '';
    while (position > 0 && text.split('\n').length <= count + 1) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, position);
      text = buffer.toString('utf8') + text;
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    // The first line may be cut by the chunk boundary, unless the read reached the file's start.
    if (position > 0) lines.shift();
    return lines.slice(-count);
  } finally {
    closeSync(fd);
  }
}

/** A pino line's `time` (epoch ms); a line that is not one (a stack trace on stderr) belongs with the line before it. */
function timeOf(line: string): number | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const time = (JSON.parse(line) as { time?: unknown }).time;
    return typeof time === 'number' ? time : undefined;
  } catch {
    return undefined;
  }
}

/** The lines of several files in one sequence ordered by time, each file's own order kept. */
export function interleave(files: string[][]): string[] {
  const timed = files.flatMap((lines, file) => {
    let time = 0;
    return lines.map((text, index) => {
      time = timeOf(text) ?? time;
      return { time, file, index, text };
    });
  });
  timed.sort((a, b) => a.time - b.time || a.file - b.file || a.index - b.index);
  return timed.map(({ text }) => text);
}

/**
 * Prints what is appended to the sources' files from now on, a poll's worth at a time in time
 * order, until `signal` aborts. `sources` is asked again on every poll, so a process whose log
 * appears later (a new replica) is followed from its first line.
 */
export async function followLogs(sources: () => LogSource[], print: (line: string) => void, signal: AbortSignal): Promise<void> {
  const offsets = new Map<string, number>(sources().map(({ file }) => [file, fileSize(file)]));
  // The bytes after a file's last newline: a line still being written (cut at a byte, not a character).
  const partial = new Map<string, Buffer>();
  while (!signal.aborted) {
    const fresh: string[][] = [];
    for (const { file } of sources()) {
      const size = fileSize(file);
      let offset = offsets.get(file) ?? 0;
      if (size < offset) {
        // truncated: read it again from the start
        offset = 0;
        partial.delete(file);
      }
      if (size === offset) continue;
      const appended = readRange(file, offset, size);
      offsets.set(file, offset + appended.length);
      const bytes = Buffer.concat([partial.get(file) ?? Buffer.alloc(0), appended]);
      const end = bytes.lastIndexOf(0x0a);
      partial.set(file, bytes.subarray(end + 1));
      if (end >= 0) fresh.push(bytes.subarray(0, end).toString('utf8').split('\n'));
    }
    for (const line of interleave(fresh)) print(line);
    await sleep(250, undefined, { signal }).catch(() => undefined);
  }
}

function fileSize(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? 0;
}

function readRange(file: string, from: number, to: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(to - from);
    const read = readSync(fd, buffer, 0, buffer.length, from);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
