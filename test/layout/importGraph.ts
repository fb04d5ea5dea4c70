import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

/** One import of one source file, as written. */
export interface SourceImport {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
const BUILTINS = new Set(builtinModules);

/** The .ts files of a package folder, tests included, node_modules and the local stack excluded. */
export function sourceFiles(folder: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts')) files.push(path);
  }
  return files;
}

export function importsOf(file: string): SourceImport[] {
  const text = readFileSync(file, 'utf8');
  const found: SourceImport[] = [];
  for (const match of text.matchAll(IMPORT)) found.push({ file, specifier: match[3]!, typeOnly: match[2] !== undefined });
  for (const match of text.matchAll(DYNAMIC)) found.push({ file, specifier: match[1]!, typeOnly: false });
  return found;
}

/** The npm package a bare specifier names (`@scope/name` or `name`); null for relative paths and Node built-ins. */
export function packageNameOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0]!)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** The file an import resolves to inside the repository: a relative path, or a workspace package's export. */
export function resolveImport(root: string, from: SourceImport): string | null {
  if (from.specifier.startsWith('.')) {
    const path = resolve(dirname(from.file), from.specifier);
    return existsSync(path) ? path : null;
  }
  const match = /^@crossvenue\/([a-z]+)(\/.+)?$/.exec(from.specifier);
  if (!match) return null;
  const manifest = JSON.parse(readFileSync(join(root, match[1]!, 'package.json'), 'utf8')) as { exports?: Record<string, string> };
  const target = manifest.exports?.[`.${match[2] ?? ''}`];
  return target ? join(root, match[1]!, target) : null;
}

/** Every cycle of the file graph (its strongly connected components of more than one file, or a file importing itself). */
export function importCycles(root: string, files: readonly string[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(file).map((i) => resolveImport(root, i)).filter((t): t is string => t !== null);
    edges.set(file, targets);
  }
  // Tarjan's strongly connected components, iteratively deep enough for a repository this size.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    indices.set(file, index);
    low.set(file, index++);
    stack.push(file);
    onStack.add(file);
    for (const next of edges.get(file) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(file, Math.min(low.get(file)!, indices.get(next)!));
    }
    if (low.get(file) !== indices.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (edges.get(file) ?? []).includes(file)) cycles.push(component.map((f) => relative(root, f)).sort());
  };
  for (const file of files) if (!indices.has(file)) visit(file);
  return cycles;
}
