import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { CONTENT_TYPES, type StaticFile } from './staticFiles.ts';

/** The dashboard's third-party files: URL path → the file in its npm package. */
const VENDOR = {
  // uPlot (MIT): the dashboard's charts.
  '/dashboard/vendor/uPlot.esm.js': 'uplot/dist/uPlot.esm.js',
  '/dashboard/vendor/uPlot.min.css': 'uplot/dist/uPlot.min.css',
};

/**
 * The dashboard's third-party files, read once from the installed packages and served by the
 * gateway itself: the dashboard loads nothing from another origin (no CDN), so it works offline
 * and the version served is the one package-lock.json pins.
 */
export function vendorFiles(): Map<string, StaticFile> {
  const resolve = createRequire(import.meta.url).resolve;
  return new Map(Object.entries(VENDOR).map(([path, file]) => [path, { body: readFileSync(resolve(file)), contentType: CONTENT_TYPES[extname(file)]! }]));
}
