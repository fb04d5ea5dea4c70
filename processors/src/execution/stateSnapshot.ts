import { deserialize, serialize } from 'node:v8';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Decimal } from '@crossvenue/schemas';

/**
 * Fields that hold what an object was built with (configuration, injected services, clocks), not
 * state it folded: a snapshot leaves them out, and the object restored into keeps its own.
 */
const BUILT_WITH = new Set(['options', 'limits', 'clock', 'logger', 'policy']);

/** A decimal travels as its exact string behind this prefix: a value, so no object of its own to track. */
const DECIMAL = '\u0000decimal:';
const FIELDS = '$fields';
/** A set of strings travels as one string, its items joined by this (which no id holds). */
const STRINGS = '$strings';
const SEPARATOR = '\u0000';
/**
 * The encoding's version, in every snapshot: a snapshot written by other code is not restored (the
 * worker folds the partition from its beginning instead). Raise it with any change to the encoding
 * or to the shape of the state classes' fields.
 */
const FORMAT = 8;

/**
 * The folded state of `roots` (class instances) as gzipped bytes: their own fields, and those of
 * the class instances they hold, recursively, except what they were built with. Maps, sets, arrays,
 * plain objects and decimals are kept as they are (a decimal as its exact string, tagged); an object
 * reached twice is written once, so what two fields shared they share again after restoreState.
 * State objects must sit in fields (the constructor makes them); anything held in a map, set or
 * array is data and comes back as plain objects.
 *
 * Why reflective rather than a hand-written codec per class: the execution state spans a dozen
 * classes whose fields change with the code, and a field a hand-written codec forgot would be
 * state silently lost on recovery. The snapshot test compares a restored worker with one that
 * folded the same inputs, so a field this cannot carry fails there.
 */
export function captureState(roots: readonly object[]): Buffer {
  const seen = new Map<object, unknown>();
  // Level 1: most of the size goes at a fraction of the time of the default level.
  return gzipSync(serialize({ format: FORMAT, roots: roots.map((root) => toPlain(root, seen)) }), { level: 1 });
}

/** Puts state captured by captureState into `roots`, freshly built instances of the same classes, in the same order. */
export function restoreState(roots: readonly object[], bytes: Buffer): void {
  const { format, roots: captured } = deserialize(gunzipSync(bytes)) as { format?: number; roots: Captured[] };
  if (format !== FORMAT) throw new Error(`the snapshot is in format ${format ?? 'none'}, this code reads format ${FORMAT}`);
  if (captured.length !== roots.length) throw new Error(`the snapshot holds ${captured.length} objects, not ${roots.length}`);
  const seen = new Map<object, unknown>();
  roots.forEach((root, i) => restoreInto(root, captured[i]!, seen));
}

type Captured = { [FIELDS]: Record<string, unknown> };

function isInstance(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype !== null && prototype !== Object.prototype && !Array.isArray(value) && !(value instanceof Map) && !(value instanceof Set);
}

function toPlain(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function') throw new Error('a function is not state; name its field in BUILT_WITH if it was built with it');
    return value;
  }
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (value instanceof Decimal) return DECIMAL + value.toString();
  const joined = joinedStrings(value);
  if (joined !== undefined) return remember(seen, value, joined);
  if (ofPrimitives(value, () => false)) return remember(seen, value, value);
  const container = copyContainer(value, seen, (item) => toPlain(item, seen));
  if (container !== undefined) return container;
  const fields: Record<string, unknown> = {};
  const instance = isInstance(value);
  const plain = remember(seen, value, instance ? { [FIELDS]: fields } : fields);
  for (const name in value) {
    if (!Object.hasOwn(value, name) || (instance && BUILT_WITH.has(name))) continue;
    fields[name] = toPlain((value as Record<string, unknown>)[name], seen);
  }
  return plain;
}

function remember<T>(seen: Map<object, unknown>, value: object, plain: T): T {
  seen.set(value, plain);
  return plain;
}

/**
 * A set of strings (seenIntentEvents, the folded fill identities: up to millions) as one string:
 * v8 writes and reads one string at memory speed, where a million small ones cost seconds to
 * deserialize. Undefined for anything else, or when an item holds the separator.
 */
function joinedStrings(value: object): { [STRINGS]: string; size: number } | undefined {
  if (!(value instanceof Set)) return undefined;
  for (const item of value) if (typeof item !== 'string' || item.includes(SEPARATOR)) return undefined;
  return { [STRINGS]: [...(value as Set<string>)].join(SEPARATOR), size: value.size };
}

/**
 * Whether `value` is a map or set holding only primitives (ids, numbers), none of them `tagged`:
 * such a one is state as it stands (seenIntentEvents, retired intents, folded fill identities, each
 * up to a million strings), handed to v8.serialize as it is rather than copied element by element.
 */
function ofPrimitives(value: object, tagged: (item: unknown) => boolean): boolean {
  const plain = (item: unknown) => (item === null || typeof item !== 'object') && typeof item !== 'function' && !tagged(item);
  if (value instanceof Set) {
    for (const item of value) if (!plain(item)) return false;
    return true;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) if (!plain(key) || !plain(item)) return false;
    return true;
  }
  return false;
}

/**
 * A copy of an array, map or set with each element (and key) converted, remembered before its
 * elements so that one reached again inside them is the same copy; undefined for anything else.
 */
function copyContainer(value: object, seen: Map<object, unknown>, convert: (item: unknown) => unknown): unknown {
  if (Array.isArray(value)) {
    const array: unknown[] = remember(seen, value, []);
    for (const item of value) array.push(convert(item));
    return array;
  }
  if (value instanceof Map) {
    const map = remember(seen, value, new Map<unknown, unknown>());
    for (const [key, item] of value) map.set(convert(key), convert(item));
    return map;
  }
  if (value instanceof Set) {
    const set = remember(seen, value, new Set<unknown>());
    for (const item of value) set.add(convert(item));
    return set;
  }
  return undefined;
}

/**
 * Fields of a class instance are put into the instance the constructor made there (it cannot be
 * made here); an instance where the fresh object holds none is data, restored as a plain object.
 */
function restoreInto(target: object, captured: Captured, seen: Map<object, unknown>): void {
  const fields = captured[FIELDS];
  for (const [name, value] of Object.entries(fields)) {
    const current = (target as Record<string, unknown>)[name];
    if (value !== null && typeof value === 'object' && FIELDS in value && current !== null && typeof current === 'object') {
      restoreInto(current, value as Captured, seen);
    } else {
      (target as Record<string, unknown>)[name] = fromPlain(value, seen);
    }
  }
}

function fromPlain(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === 'string' && value.startsWith(DECIMAL)) return new Decimal(value.slice(DECIMAL.length));
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (STRINGS in value) {
    const { [STRINGS]: joined, size } = value as { [STRINGS]: string; size: number };
    return remember(seen, value, new Set(size === 0 ? [] : joined.split(SEPARATOR)));
  }
  // Deserialized, it is a fresh copy already; only tagged decimals inside would need converting.
  if (ofPrimitives(value, (item) => typeof item === 'string' && item.startsWith(DECIMAL))) return remember(seen, value, value);
  const container = copyContainer(value, seen, (item) => fromPlain(item, seen));
  if (container !== undefined) return container;
  // An instance anywhere but a field of a state object is data (decoded messages are instances of
  // the codec's record classes): it comes back as a plain object with the same fields.
  const fields = (FIELDS in value ? value[FIELDS] : value) as Record<string, unknown>;
  const object: Record<string, unknown> = remember(seen, value, {});
  for (const [name, field] of Object.entries(fields)) object[name] = fromPlain(field, seen);
  return object;
}
