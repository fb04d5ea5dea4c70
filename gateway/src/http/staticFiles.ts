import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/**
 * The files of one directory with a served type, read once, by URL path under `prefix`. Only the
 * names listed at start are served, so no request path can reach outside the directory.
 */
export function staticFiles(directory: URL, prefix: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(directory)) {
    const contentType = CONTENT_TYPES[extname(name)];
    if (contentType) files.set(`${prefix}${name}`, { body: readFileSync(new URL(name, directory)), contentType });
  }
  return files;
}
