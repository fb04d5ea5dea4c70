// Runs every benchmark of the package in turn: each `src/**/*.bench.ts` measures and prints its own
// table when imported (top-level await), so adding a benchmark is adding such a file. One at a time,
// so that they never compete for the CPU.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const SOURCE = fileURLToPath(new URL('../src/', import.meta.url));
const files = readdirSync(SOURCE, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.bench.ts'))
  .sort();

for (const file of files) {
  console.log(`\n# ${file}`);
  await import(pathToFileURL(join(SOURCE, file)).href);
}
