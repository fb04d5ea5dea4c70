import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Real venue traffic recorded by others (see its MANIFEST.md), read in place by tests: it lives
 * beside the repository, at ../shared/data/venues, and is never copied into it. Tests skip when
 * it is absent.
 */
export const VENUE_DATA_DIR = fileURLToPath(new URL('../../../../shared/data/venues/', import.meta.url));
export const HAVE_VENUE_DATA = existsSync(VENUE_DATA_DIR);
export const NO_VENUE_DATA = `recorded venue data not found at ${VENUE_DATA_DIR}; these tests need ../shared/data/venues beside the repository`;

/**
 * The JSON bodies of a cryptofeed REST recording (`*.0`, `*.http.*`), one per line written as
 * `URL -> unix_ts: <json>`; other lines (the trailing `configuration: {...}`) are skipped.
 */
export function recordedResponses(relativePath: string): unknown[] {
  const text = readFileSync(`${VENUE_DATA_DIR}${relativePath}`, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.includes(' -> '))
    .map((line) => {
      const arrow = line.indexOf(' -> ');
      return JSON.parse(line.slice(line.indexOf(': ', arrow) + 2)) as unknown;
    });
}

export function recordedJson(relativePath: string): unknown {
  return JSON.parse(readFileSync(`${VENUE_DATA_DIR}${relativePath}`, 'utf8')) as unknown;
}
