/**
 * Start-up settings from the environment. A bad value stops start-up with one line that names the
 * key and what is expected, never a stack trace from deep inside a client library.
 */
export class SettingError extends Error {
  override readonly name = 'SettingError';
  constructor(
    readonly key: string,
    expected: string,
    received: string,
  ) {
    super(`${key}: expected ${expected}, got "${received}"`);
  }
}

type Env = Record<string, string | undefined>;
type Parser<T> = { expected: string; parse: (raw: string) => T | undefined };

function read<T>(env: Env, key: string, parser: Parser<T>, fallback: T): T {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = parser.parse(raw.trim());
  if (value === undefined) throw new SettingError(key, parser.expected, raw);
  return value;
}

const port: Parser<number> = {
  expected: 'a TCP port (1-65535)',
  parse: (raw) => (/^\d+$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 65535 ? Number(raw) : undefined),
};

const positiveInteger: Parser<number> = {
  expected: 'a positive integer',
  parse: (raw) => (/^[1-9]\d*$/.test(raw) ? Number(raw) : undefined),
};

const httpUrl: Parser<string> = {
  expected: 'an http(s) URL such as http://127.0.0.1:8123',
  parse: (raw) => {
    try {
      const url = new URL(raw);
      return url.protocol === 'http:' || url.protocol === 'https:' ? raw.replace(/\/+$/, '') : undefined;
    } catch {
      return undefined;
    }
  },
};

const brokerList: Parser<string[]> = {
  expected: 'a comma-separated list of host:port',
  parse: (raw) => {
    const brokers = raw.split(',').map((b) => b.trim());
    return brokers.every((b) => /^[\w.-]+:\d{1,5}$/.test(b)) ? brokers : undefined;
  },
};

export const settings = {
  port: (key: string, fallback: number, env: Env = process.env) => read(env, key, port, fallback),
  positiveInteger: (key: string, fallback: number, env: Env = process.env) => read(env, key, positiveInteger, fallback),
  httpUrl: (key: string, fallback: string, env: Env = process.env) => read(env, key, httpUrl, fallback),
  brokerList: (key: string, fallback: string[], env: Env = process.env) => read(env, key, brokerList, fallback),
};
