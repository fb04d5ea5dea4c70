/** Wrong words on the command line: the message says what was expected. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface Args {
  positionals: string[];
  flags: Set<string>;
  options: Map<string, string>;
}

/** The options a command takes: `valued` ones carry a value (`--name value` or `--name=value`), `flags` do not. */
export interface ArgSpec {
  valued?: readonly string[];
  flags?: readonly string[];
}

/**
 * The words of a command line, against what the command takes. An option it does not take is a
 * UsageError naming it and what is known, never silently ignored. (`--help` never gets here: the
 * command line's entry point answers it for every command.)
 */
export function parseArgs(argv: string[], spec: ArgSpec = {}): Args {
  const valued = new Set(spec.valued ?? []);
  const flags = new Set(spec.flags ?? []);
  const args: Args = { positionals: [], flags: new Set(), options: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (!word.startsWith('--')) {
      args.positionals.push(word);
      continue;
    }
    const [name, inline] = word.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!valued.has(name) && !flags.has(name)) {
      const known = [...valued, ...flags].map((option) => `--${option}`).join(', ') || 'none';
      throw new UsageError(`unknown option --${name}; known: ${known}`);
    }
    if (flags.has(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      args.flags.add(name);
    } else if (inline !== undefined) args.options.set(name, inline);
    else {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      args.options.set(name, value);
    }
  }
  return args;
}
