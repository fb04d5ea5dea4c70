import avro from 'avsc';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { AvroSchema, FieldSchema, RecordSchema } from '../avro/AvroSchema.ts';
import { contractViolations } from '../avro/contract.ts';
import { EXAMPLES } from './examples.ts';
import * as messages from './index.ts';

type Node = Exclude<AvroSchema, string | readonly AvroSchema[]>;

/** Every field of a schema, nested records included, with its dotted path (arrays as `[]`). */
function allFields(schema: AvroSchema, path = ''): { path: string; field: FieldSchema }[] {
  if (typeof schema === 'string') return [];
  if (Array.isArray(schema)) return (schema as readonly AvroSchema[]).flatMap((branch) => allFields(branch, path));
  const node = schema as Node;
  if (node.type === 'array') return allFields(node.items, `${path}[]`);
  if (node.type !== 'record') return [];
  return node.fields.flatMap((field) => {
    const fieldPath = path ? `${path}.${field.name}` : field.name;
    return [{ path: fieldPath, field }, ...allFields(field.type, fieldPath)];
  });
}

/** Every named type defined in a schema, by full name. */
function namedTypes(schema: AvroSchema, out = new Map<string, string[]>()): Map<string, string[]> {
  if (typeof schema === 'string') return out;
  if (Array.isArray(schema)) {
    for (const branch of schema as readonly AvroSchema[]) namedTypes(branch, out);
    return out;
  }
  const node = schema as Node;
  if (node.type === 'array') return namedTypes(node.items, out);
  if (node.type === 'enum' || node.type === 'record') {
    out.set(`${node.namespace}.${node.name}`, [...(out.get(`${node.namespace}.${node.name}`) ?? []), JSON.stringify(node)]);
    if (node.type === 'record') for (const field of node.fields) namedTypes(field.type, out);
  }
  return out;
}

/** Paths of the decimal-string values actually present in a value, e.g. `bids[0].price`. */
function decimalPaths(schema: AvroSchema, value: unknown, named: Map<string, AvroSchema>, path = ''): string[] {
  if (typeof schema === 'string') {
    const definition = named.get(schema);
    return definition ? decimalPaths(definition, value, named, path) : [];
  }
  if (Array.isArray(schema)) {
    if (value === null) return [];
    return (schema as readonly AvroSchema[]).filter((b) => b !== 'null').flatMap((b) => decimalPaths(b, value, named, path));
  }
  const node = schema as Node;
  if (node.type === 'string') return node.logicalType === 'decimal-string' ? [path] : [];
  if (node.type === 'array') return (value as unknown[]).flatMap((item, i) => decimalPaths(node.items, item, named, `${path}[${i}]`));
  if (node.type !== 'record') return [];
  named.set(`${node.namespace}.${node.name}`, node);
  return node.fields.flatMap((field) =>
    decimalPaths(field.type, (value as Record<string, unknown>)[field.name], named, path ? `${path}.${field.name}` : field.name),
  );
}

function setPath(value: unknown, path: string, replacement: string): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split(/\.|\[(\d+)\]/).filter(Boolean);
  let target = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[keys.at(-1)!] = replacement;
  return copy;
}

const DECIMAL = { type: 'string', logicalType: 'decimal-string' };
/** Names that hold an amount of money, a quantity or a rate; such a field must be a decimal string. */
const AMOUNT_NAME =
  /(price|quantity|amount|fee|balance|notional|pnl|limit|free|locked|total|cost|penalty|rate|step|tick|contractsize|strike|mid|^value|internalvalue|venuevalue)$/i;

describe('message schemas', () => {
  const exported = Object.entries(messages).filter(([name]) => name.endsWith('Schema')) as [string, RecordSchema][];

  it.each(exported)('%s is a valid Avro schema', (_name, schema) => {
    expect(() => avro.Type.forSchema(schema as avro.Schema)).not.toThrow();
  });

  it('has an example of every top-level record, and every exported schema is used by one', () => {
    const examined = EXAMPLES.map((e) => JSON.stringify(e.schema)).join();
    for (const [name, schema] of exported) expect(examined, name).toContain(`"name":"${schema.name}"`);
  });

  it('infers precise TypeScript types, through nested records, unions, arrays and refs', () => {
    expectTypeOf<messages.Intent['order']>().toEqualTypeOf<messages.IntentOrder | null>();
    expectTypeOf<messages.Intent['account']>().toEqualTypeOf<string | null>();
    expectTypeOf<messages.IntentOrder['trigger']>().toEqualTypeOf<{ type: 'STOP' | 'TAKE_PROFIT'; triggerPrice: string } | null>();
    expectTypeOf<messages.SymbolMetadata['orderTypes']>().toEqualTypeOf<messages.OrderType[]>();
    expectTypeOf<messages.OrderEvent['state']>().toEqualTypeOf<messages.OrderState>();
    expectTypeOf<messages.BookDelta['asks']>().toEqualTypeOf<messages.PriceLevel[]>();
    expectTypeOf<messages.Fill['intentId']>().toEqualTypeOf<string | null>();
    expectTypeOf<messages.ControlCommand['engaged']>().toEqualTypeOf<boolean | null>();
    expectTypeOf<messages.RouteDecision['candidates'][number]>().toEqualTypeOf<messages.RouteCandidate>();
  });

  it('gives one named type one definition across the whole catalogue', () => {
    const all = new Map<string, string[]>();
    for (const { schema } of EXAMPLES) namedTypes(schema, all);
    for (const [name, definitions] of all) expect(new Set(definitions).size, name).toBe(1);
  });
});

describe.each(EXAMPLES.map((e) => [e.schema.name, e] as const))('%s', (_name, { schema, value }) => {
  const type = avro.Type.forSchema(schema as avro.Schema);
  const fields = allFields(schema);

  it('starts with eventId and lives in the crossvenue namespace', () => {
    expect(schema.fields[0]).toMatchObject({ name: 'eventId', type: 'string' });
    expect(schema.namespace).toBe('crossvenue');
  });

  it('keeps every amount decimal, every time a long named with its unit, and every union nullable', () => {
    for (const { path, field } of fields) {
      const branches = Array.isArray(field.type) ? (field.type as readonly AvroSchema[]) : [field.type];
      const nonNull = branches.filter((b) => b !== 'null');
      const scalar = nonNull.length === 1 && (typeof nonNull[0] === 'string' || (nonNull[0] as Node).type === 'string');
      if (scalar && AMOUNT_NAME.test(field.name)) expect(nonNull[0], path).toEqual(DECIMAL);
      if (field.name.endsWith('Ms')) expect(nonNull, path).toEqual(['long']);
      if (nonNull.includes('long')) expect(field.name, path).toMatch(/Ms$|[sS]equence$|^checksum$/);
      expect(JSON.stringify(field.type), path).not.toMatch(/"(float|double)"/);
      if (Array.isArray(field.type)) {
        expect(branches[0], path).toBe('null');
        expect(field.default, path).toBeNull();
      }
    }
  });

  it('round-trips its example through Avro unchanged, with no contract violations', () => {
    expect(contractViolations(schema, value)).toEqual([]);
    expect(type.fromBuffer(type.toBuffer(value))).toEqual(value);
  });

  it('round-trips with every optional top-level field null', () => {
    const nulled = { ...(value as object) } as Record<string, unknown>;
    for (const field of schema.fields) if (Array.isArray(field.type)) nulled[field.name] = null;
    expect(type.fromBuffer(type.toBuffer(nulled))).toEqual(nulled);
  });

  const paths = decimalPaths(schema, value, new Map());
  it.runIf(paths.length > 0).each(paths.map((path, i) => [path, i % 2 === 0 ? '1e5' : 'abc']))(
    'reports %s = %s as not a decimal, by its path',
    (path, bad) => {
      expect(contractViolations(schema, setPath(value, path, bad))).toEqual([`${path}: ${JSON.stringify(bad)} is not a decimal`]);
    },
  );
});
