import { InvalidInputError, parseDecimal, parseVenueId, type Decimal } from '@crossvenue/schemas';

/**
 * Reads an arbitrage worker's settings (a JSON object) key by key, each problem one line naming
 * the key (`where.key: …`): what the spot and the funding settings parsers share.
 */
export function settingsReader(settings: Readonly<Record<string, unknown>>, where: string) {
  const at = (key: string) => `${where}.${key}`;
  const required = (key: string): unknown => {
    if (settings[key] === undefined) throw new InvalidInputError(`${at(key)}: required`);
    return settings[key];
  };
  const decimal = (key: string, fallback: string | null, check: (value: Decimal) => boolean, rule: string): Decimal => {
    const value = parseDecimal(fallback === null ? required(key) : (settings[key] ?? fallback), at(key));
    if (!check(value)) throw new InvalidInputError(`${at(key)}: must be ${rule}, got ${String(settings[key])}`);
    return value;
  };
  return {
    at,
    required,
    decimal,
    positive: (key: string, fallback: string | null = null) => decimal(key, fallback, (value) => value.gt(0), 'positive'),
    notNegative: (key: string, fallback: string | null = null) => decimal(key, fallback, (value) => value.gte(0), 'zero or more'),
    /** A fee rate, or null when not given (the venue's ref.symbols record must then say it). */
    fee: (key: string) => (settings[key] === undefined ? null : decimal(key, null, (value) => value.gt(-1) && value.lt(1), 'a fraction of notional between -1 and 1 (0.001 = 0.1 %)')),
    wholeMs: (key: string, fallback: number, least: number): number => {
      const value = settings[key] ?? fallback;
      if (!Number.isInteger(value) || (value as number) < least) throw new InvalidInputError(`${at(key)}: must be a whole number of ms, at least ${least}, got ${JSON.stringify(value)}`);
      return value as number;
    },
    /** Refuses a key that is neither known nor meant for another choice (`onlyFor` says whose it is, for the message). */
    refuseUnknown: (known: readonly string[], onlyFor: (key: string) => string | null = () => null) => {
      for (const key of Object.keys(settings)) {
        const owner = onlyFor(key);
        if (owner !== null) throw new InvalidInputError(`${at(key)}: ${key} is only for ${owner}`);
        if (!known.includes(key)) throw new InvalidInputError(`${at(key)}: unknown key; known: ${known.join(', ')}`);
      }
    },
  };
}

/** A venue name, as a venue id, with `where` in its error. */
export function venueAt(raw: unknown, where: string): string {
  try {
    return parseVenueId(raw);
  } catch (error) {
    throw new InvalidInputError(`${where}: ${(error as Error).message}`);
  }
}
