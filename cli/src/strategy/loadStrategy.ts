import { existsSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { midReversion, type Strategy, type StrategyFactory } from '@crossvenue/processors';
import { InvalidInputError } from '@crossvenue/schemas';

/** Strategies that ship with Crossvenue, by the name a config or a command gives them. */
export const BUILTIN_STRATEGIES: Readonly<Record<string, StrategyFactory>> = {
  'mid-reversion': midReversion,
};

const MODULE_EXTENSIONS = ['.ts', '.js', '.mjs'];

/** A config's strategy module as a worker loads it: a built-in name as it is, a path resolved against `base`. */
export function strategyModulePath(module: string, base: string): string {
  return module in BUILTIN_STRATEGIES ? module : resolve(base, module);
}

/**
 * Why `module` cannot be a strategy module, or undefined: a built-in name, or the path of an
 * existing .ts/.js/.mjs file, relative to `base` (a config's folder) or absolute.
 */
export function strategyModuleProblem(module: string, base: string = process.cwd()): string | undefined {
  if (module in BUILTIN_STRATEGIES) return undefined;
  if (!MODULE_EXTENSIONS.includes(extname(module))) return `"${module}" is neither a built-in strategy (${Object.keys(BUILTIN_STRATEGIES).join(', ')}) nor a ${MODULE_EXTENSIONS.join('/')} module`;
  const path = resolve(base, module);
  return existsSync(path) ? undefined : `no strategy module at ${path}`;
}

/**
 * The strategy `module` makes from `settings`: a built-in one, or the default export of a module
 * (a StrategyFactory, see processors/src/strategy/Strategy.ts). Refuses, with one line, a module
 * that is not there or exports no factory, and whatever the factory refuses in the settings.
 */
export async function loadStrategy(module: string, settings: Readonly<Record<string, unknown>>): Promise<Strategy> {
  const problem = strategyModuleProblem(module);
  if (problem) throw new InvalidInputError(`strategy module: ${problem}`);
  const factory = BUILTIN_STRATEGIES[module] ?? (await importDefault(module));
  if (typeof factory !== 'function') throw new InvalidInputError(`strategy module ${module}: its default export must be a StrategyFactory (settings => Strategy)`);
  return (factory as StrategyFactory)(settings);
}

async function importDefault(module: string): Promise<unknown> {
  try {
    return ((await import(pathToFileURL(resolve(module)).href)) as { default?: unknown }).default;
  } catch (error) {
    throw new InvalidInputError(`strategy module ${module}: cannot load it (${(error as Error).message.split('\n')[0]})`);
  }
}

/** How a run names the strategy of `module` when nothing else names it: a built-in by its name, a module by its file's. */
export function strategyNameOf(module: string): string {
  if (module in BUILTIN_STRATEGIES) return module;
  return basename(module).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'strategy';
}
