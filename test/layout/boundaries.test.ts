import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles, importsOf, packageNameOf, sourceFiles } from './importGraph.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
const manifestOf = (folder: string) => JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')) as Manifest;
const declared = (manifest: Manifest) => new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);

// The layering lives in one place, the lint configuration that enforces it.
const { MAY_IMPORT } = (await import(pathToFileURL(join(ROOT, 'eslint.config.js')).href)) as { MAY_IMPORT: Record<string, string[]> };
const PACKAGES = Object.keys(MAY_IMPORT);
/** Tools every package uses from the root (vitest, typescript, eslint…). */
const ROOT_TOOLS = declared(manifestOf('.'));

describe('package boundaries', () => {
  it('lists every workspace in the layering, and nothing else', () => {
    const { workspaces } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    expect([...PACKAGES].sort()).toEqual([...workspaces].sort());
  });

  it.each(PACKAGES)('%s/ declares in its package.json every package it imports', (folder) => {
    const own = manifestOf(folder);
    const mine = declared(own);
    const undeclared = new Set<string>();
    for (const file of sourceFiles(join(ROOT, folder))) {
      for (const { specifier } of importsOf(file)) {
        const name = packageNameOf(specifier);
        if (name && name !== own.name && !mine.has(name) && !ROOT_TOOLS.has(name)) undeclared.add(`${name} (${file.slice(ROOT.length)})`);
      }
    }
    expect([...undeclared]).toEqual([]);
  });

  it.each(PACKAGES)('%s/ declares only the workspace packages the layering allows', (folder) => {
    const allowed = new Set(MAY_IMPORT[folder]!.map((entry) => `@crossvenue/${entry.split('/')[0]}`));
    const internal = [...declared(manifestOf(folder))].filter((name) => name.startsWith('@crossvenue/'));
    expect(internal.filter((name) => !allowed.has(name))).toEqual([]);
  });

  it('has no file-level import cycle', () => {
    const files = PACKAGES.flatMap((folder) => sourceFiles(join(ROOT, folder)));
    expect(files.length).toBeGreaterThan(300);
    expect(importCycles(ROOT, files)).toEqual([]);
  });
});
