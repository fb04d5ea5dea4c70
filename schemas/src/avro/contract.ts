import type { AvroSchema, FieldSchema } from './AvroSchema.ts';
import { namedDefinitions } from './definitions.ts';

/** A decimal string: optional sign, digits, optional fraction. No exponent, no spaces, no NaN. */
export const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;

/**
 * Checks one value against the part of a schema it was compiled from, adding a message per
 * violation. `path` holds the field names and array indexes down to the value; it is only turned
 * into text for a violation (building `bids[3].price` for every level of every book checked was
 * the check's main cost in the backtest's profile).
 */
type Check = (value: unknown, path: Array<string | number>, out: string[]) => void;

/**
 * Each schema's check, compiled on first use. Every record published and read is checked, so the
 * check is compiled once and visits only the fields that can hold a decimal (the generic walk it
 * replaced visited every field and collected the named types on each call: 5% of the router's
 * time at 1,000 intents/s, in execution.bench.ts' profile).
 */
const compiled = new WeakMap<object, Check | null>();

/**
 * What Avro itself cannot check: every decimal-string field holds a decimal. Returns one message per
 * violation, each naming the field path and the bad value, e.g. `bids[0].price: "1e5" is not a decimal`.
 */
export function contractViolations(schema: AvroSchema, value: unknown): string[] {
  const violations: string[] = [];
  checkOf(schema)?.(value, [], violations);
  return violations;
}

/** `bids[0].price`: names joined by dots, indexes in brackets; `value` for the top. */
function pathText(path: ReadonlyArray<string | number>): string {
  const text = path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`)).join('');
  return text || 'value';
}

function checkOf(schema: AvroSchema): Check | null {
  // Named types are collected from the schema first: a reference must resolve even when the
  // value never passes through the definition (an empty array, a null union branch).
  if (typeof schema !== 'object') return compile(schema, namedDefinitions(schema), new Map());
  let check = compiled.get(schema);
  if (check === undefined) compiled.set(schema, (check = compile(schema, namedDefinitions(schema), new Map())));
  return check;
}

/** null: nothing under `schema` can hold a decimal, so there is nothing to visit. */
function compile(schema: AvroSchema, named: Map<string, AvroSchema>, byName: Map<string, Check | null>): Check | null {
  if (typeof schema === 'string') {
    const definition = named.get(schema);
    if (!definition) return null;
    if (!byName.has(schema)) {
      // Set before compiling, so that a type that contains itself refers to its own check.
      let resolved: Check | null = null;
      byName.set(schema, (value, path, out) => resolved?.(value, path, out));
      resolved = compile(definition, named, byName);
      if (!resolved) byName.set(schema, null);
    }
    return byName.get(schema)!;
  }
  if (Array.isArray(schema)) {
    // A union: only the branch matching the value's kind matters; null never carries a decimal.
    const branches = (schema as readonly AvroSchema[]).filter((branch) => branch !== 'null').flatMap((branch) => compile(branch, named, byName) ?? []);
    if (branches.length === 0) return null;
    return (value, path, out) => {
      if (value !== null) for (const branch of branches) branch(value, path, out);
    };
  }
  const node = schema as Exclude<AvroSchema, string | readonly AvroSchema[]>;
  if (node.type === 'string') {
    if (node.logicalType !== 'decimal-string') return null;
    return (value, path, out) => {
      if (typeof value === 'string' && !DECIMAL_STRING.test(value)) out.push(`${pathText(path)}: ${JSON.stringify(value)} is not a decimal`);
    };
  }
  if (node.type === 'array') {
    const item = compile(node.items, named, byName);
    if (!item) return null;
    return (value, path, out) => {
      if (!Array.isArray(value)) return;
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        item(value[i], path, out);
        path.pop();
      }
    };
  }
  if (node.type !== 'record') return null;
  const fields = (node.fields as readonly FieldSchema[]).flatMap((field) => {
    const check = compile(field.type, named, byName);
    return check ? [{ name: field.name, check }] : [];
  });
  if (fields.length === 0) return null;
  return (value, path, out) => {
    if (value === null || typeof value !== 'object') return;
    for (const { name, check } of fields) {
      path.push(name);
      check((value as Record<string, unknown>)[name], path, out);
      path.pop();
    }
  };
}
