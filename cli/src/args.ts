/** Wrong words on the command line: the message says what was expected. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Args {
  positionals: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

/** `--json` is a flag; `--name value` and `--name=value` are options for the names in `valued`. */
export function parseArgs(argv: string[], valued: ReadonlySet<string> = new Set()): Args {
  const args: Args = { positionals: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('--')) {
      args.positionals.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (inline !== undefined) args.options.set(name, inline);
    else if (valued.has(name)) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      args.options.set(name, value);
    } else args.flags.add(name);
  }
  return args;
}
