import type { AvroSchema, FieldSchema } from './AvroSchema.ts';
import { namedDefinitions } from './definitions.ts';

/** A decimal string: optional sign, digits, optional fraction. No exponent, no spaces, no NaN. */
export const DECIMAL_STRING = /^-?\d+(\.\d+)?$/;

type Definitions = Map<string, AvroSchema>;

/**
 * What Avro itself cannot check: every decimal-string field holds a decimal. Returns one message per
 * violation, each naming the field path and the bad value, e.g. `bids[0].price: "1e5" is not a decimal`.
 */
export function contractViolations(schema: AvroSchema, value: unknown): string[] {
  const violations: string[] = [];
  // Named types are collected from the schema first: a reference must resolve even when the
  // value never passed through the definition (an empty array, a null union branch).
  walk(schema, value, '', namedDefinitions(schema), violations);
  return violations;
}

function walk(schema: AvroSchema, value: unknown, path: string, named: Definitions, out: string[]): void {
  if (typeof schema === 'string') {
    const definition = named.get(schema);
    if (definition) walk(definition, value, path, named, out);
    return;
  }
  if (Array.isArray(schema)) {
    // A union: only the branch matching the value's kind matters; null never carries a decimal.
    if (value === null) return;
    for (const branch of schema as readonly AvroSchema[]) if (branch !== 'null') walk(branch, value, path, named, out);
    return;
  }
  const node = schema as Exclude<AvroSchema, string | readonly AvroSchema[]>;
  if (node.type === 'string') {
    if (node.logicalType === 'decimal-string' && typeof value === 'string' && !DECIMAL_STRING.test(value)) {
      out.push(`${path || 'value'}: ${JSON.stringify(value)} is not a decimal`);
    }
  } else if (node.type === 'array') {
    if (Array.isArray(value)) value.forEach((item, i) => walk(node.items, item, `${path}[${i}]`, named, out));
  } else if (node.type === 'record' && value !== null && typeof value === 'object') {
    for (const field of node.fields as readonly FieldSchema[]) {
      const child = (value as Record<string, unknown>)[field.name];
      walk(field.type, child, path ? `${path}.${field.name}` : field.name, named, out);
    }
  }
}
