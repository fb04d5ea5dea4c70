import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { strategyModulePath } from '../strategy/loadStrategy.ts';
import { checkConfig } from './checkConfig.ts';
import type { Config } from './Config.ts';
import { ConfigError } from './ConfigError.ts';
import { schemaProblems, type Problem } from './schemaProblems.ts';

/**
 * Reads, validates and checks a config file (crossvenue.yaml). Every problem is collected before
 * any is thrown: YAML syntax (by line), then the schema (config/crossvenue.schema.json), then
 * whether the parts agree (checkConfig). File paths in the result are absolute.
 */
export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`${path}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  const data = parseYaml(text, path);
  const problems = schemaProblems(data);
  const base = dirname(resolve(path));
  problems.push(...checkConfig(data as Config, problems, base));
  if (problems.length > 0) throw new ConfigError(inFileOrder(problems).map((problem) => problem.line));
  return withAbsolutePaths(data as Config, base);
}

/** The sections in the order a config file usually has them, so the lines read top to bottom. */
const SECTIONS = ['infrastructure', 'simulator', 'venues', 'accounts', 'portfolios', 'router', 'gateway', 'strategies', 'followers', 'arbitrage', 'workers'];

function inFileOrder(problems: Problem[]): Problem[] {
  const rank = (problem: Problem) => {
    const index = SECTIONS.indexOf(String(problem.at[0]));
    return index === -1 ? -1 : index;
  };
  return problems.map((problem, index) => ({ problem, index })).sort((a, b) => rank(a.problem) - rank(b.problem) || a.index - b.index).map(({ problem }) => problem);
}

function parseYaml(text: string, path: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((error) => {
      const [at] = error.linePos ?? [];
      // yaml's message repeats the position and quotes the source after a colon; the line says it once.
      const what = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      return at ? `line ${at.line}, column ${at.col}: ${what}` : `${path}: ${what}`;
    }));
  }
  try {
    return doc.toJS();
  } catch (error) {
    // An alias without its anchor surfaces only here.
    throw new ConfigError([`${path}: ${(error as Error).message}`]);
  }
}

/** The file names its other files relative to itself; a worker may start in any directory. */
function withAbsolutePaths(config: Config, base: string): Config {
  const copy = structuredClone(config);
  const kafka = copy.infrastructure?.kafka;
  if (kafka?.caFile) kafka.caFile = resolve(base, kafka.caFile);
  for (const account of copy.accounts) if ('secretsFile' in account.credentials) account.credentials.secretsFile = resolve(base, account.credentials.secretsFile);
  if ('secretsFile' in copy.gateway.apiKeys) copy.gateway.apiKeys.secretsFile = resolve(base, copy.gateway.apiKeys.secretsFile);
  if (copy.gateway.backtestsDir) copy.gateway.backtestsDir = resolve(base, copy.gateway.backtestsDir);
  for (const strategy of copy.strategies ?? []) strategy.module = strategyModulePath(strategy.module, base);
  return copy;
}
