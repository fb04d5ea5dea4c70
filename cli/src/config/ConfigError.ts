/**
 * A configuration that cannot run: one line per problem, each `<path>: <what is wrong>`, e.g.
 * `accounts[2].portfolio: unknown portfolio "desk-9"`. Every problem is found before any is
 * reported, so one run of `crossvenue config check` lists them all. No line ever holds a secret.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}
