import type { AvroSchema, FieldSchema, RecordSchema } from '@crossvenue/schemas';
import { Decimal, namedDefinitions, resolveNamed as resolve } from '@crossvenue/schemas';
import type { TsvValue } from './tsv.ts';

/**
 * How a message becomes a row of its audit table, derived from its Avro schema so that a new field
 * in a schema is a new column without hand-written mapping:
 *
 * - strings, enums → String; int → Int32; long → Int64; boolean → UInt8;
 * - decimal strings → Decimal(38, 18): exact for every venue amount (venues quote at most 18
 *   decimal places); derived values with longer fractions (an average price) are rounded half-even
 *   at the 18th place here, and stay exact in the `payload` column;
 * - `[null, X]` → Nullable(X); a nested record → its fields flattened as `parent_child` columns;
 * - an array of scalars → Array(X); an array of records → one parallel Array column per scalar
 *   field (`bids_price`, `bids_quantity`), the ClickHouse Nested layout;
 * - anything deeper (an array inside an array's records) lives only in `payload`.
 */
export interface AuditColumn {
  name: string;
  type: string;
  value: (message: unknown) => TsvValue;
}

export const DECIMAL_COLUMN = 'Decimal(38, 18)';
const DECIMAL_SCALE = 18;

type Scalar = { clickhouse: string; toTsv: (value: unknown) => string | number | null };

export function auditColumns(schema: RecordSchema): AuditColumn[] {
  return recordColumns(schema, '', (message) => message, namedDefinitions(schema), false);
}

function recordColumns(
  record: RecordSchema,
  prefix: string,
  read: (message: unknown) => unknown,
  named: Map<string, AvroSchema>,
  nullable: boolean,
): AuditColumn[] {
  return record.fields.flatMap((field: FieldSchema) => {
    const name = prefix + snakeCase(field.name);
    const readField = (message: unknown) => (read(message) as Record<string, unknown> | null)?.[field.name] ?? null;
    return fieldColumns(resolve(field.type, named), name, readField, named, nullable);
  });
}

function fieldColumns(
  schema: AvroSchema,
  name: string,
  read: (message: unknown) => unknown,
  named: Map<string, AvroSchema>,
  nullable: boolean,
): AuditColumn[] {
  if (Array.isArray(schema)) {
    const branch = resolve((schema as readonly AvroSchema[]).find((member) => member !== 'null')!, named);
    return fieldColumns(branch, name, read, named, true);
  }
  const scalar = scalarOf(schema);
  if (scalar) {
    const type = nullable ? `Nullable(${scalar.clickhouse})` : scalar.clickhouse;
    return [{ name, type, value: (message) => scalar.toTsv(read(message)) }];
  }
  const node = schema as Exclude<AvroSchema, string | readonly AvroSchema[]>;
  if (node.type === 'record') return recordColumns(node, `${name}_`, read, named, nullable);
  if (node.type !== 'array') return [];
  const items = resolve(node.items, named);
  const itemScalar = scalarOf(items);
  if (itemScalar) return [arrayColumn(name, itemScalar, (message) => (read(message) as unknown[] | null) ?? [])];
  if (typeof items === 'object' && !Array.isArray(items) && (items as RecordSchema).type === 'record') {
    return (items as RecordSchema).fields.flatMap((field) => {
      const fieldScalar = scalarOf(resolve(field.type, named));
      if (!fieldScalar) return [];
      const elements = (message: unknown) =>
        ((read(message) as Array<Record<string, unknown>> | null) ?? []).map((element) => element[field.name]);
      return [arrayColumn(`${name}_${snakeCase(field.name)}`, fieldScalar, elements)];
    });
  }
  return [];
}

function arrayColumn(name: string, scalar: Scalar, elements: (message: unknown) => unknown[]): AuditColumn {
  const quoted = scalar.clickhouse === 'String';
  return {
    name,
    type: `Array(${scalar.clickhouse})`,
    value: (message) => {
      const values = elements(message).map((element) => String(scalar.toTsv(element)));
      return quoted ? values : { numbers: values };
    },
  };
}

function scalarOf(schema: AvroSchema): Scalar | undefined {
  if (typeof schema === 'string') {
    switch (schema) {
      case 'string':
        return { clickhouse: 'String', toTsv: (value) => (value === null ? null : String(value)) };
      case 'int':
        return { clickhouse: 'Int32', toTsv: (value) => (value === null ? null : Number(value)) };
      case 'long':
        return { clickhouse: 'Int64', toTsv: (value) => (value === null ? null : Number(value)) };
      case 'boolean':
        return { clickhouse: 'UInt8', toTsv: (value) => (value === null ? null : value ? 1 : 0) };
      default:
        return undefined;
    }
  }
  if (Array.isArray(schema)) return undefined;
  const node = schema as Exclude<AvroSchema, string | readonly AvroSchema[]>;
  if (node.type === 'enum') return { clickhouse: 'String', toTsv: (value) => (value === null ? null : String(value)) };
  if (node.type === 'string' && node.logicalType === 'decimal-string') {
    return {
      clickhouse: DECIMAL_COLUMN,
      toTsv: (value) =>
        value === null ? null : new Decimal(value as string).toDecimalPlaces(DECIMAL_SCALE, Decimal.ROUND_HALF_EVEN).toFixed(),
    };
  }
  return undefined;
}

const snakeCase = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
