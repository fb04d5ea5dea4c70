/**
 * Avro schemas are written as TypeScript constants, and each message's TypeScript type is inferred
 * from its schema, so a schema and its type can never drift apart (one name, one source).
 */

/** A decimal amount on the wire: an Avro string annotated so that encode and decode check its shape. */
export const decimal = { type: 'string', logicalType: 'decimal-string' } as const;
export type DecimalSchema = typeof decimal;

export type PrimitiveSchema = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'string' | 'bytes';

export interface FieldSchema {
  readonly name: string;
  readonly type: AvroSchema;
  readonly doc?: string;
  readonly default?: unknown;
}

export interface RecordSchema {
  readonly type: 'record';
  readonly name: string;
  readonly namespace?: string;
  readonly doc?: string;
  readonly fields: readonly FieldSchema[];
}

export interface EnumSchema {
  readonly type: 'enum';
  readonly name: string;
  readonly namespace?: string;
  readonly doc?: string;
  readonly symbols: readonly string[];
  readonly default?: string;
}

export interface ArraySchema {
  readonly type: 'array';
  readonly items: AvroSchema;
}

export type NamedSchema = RecordSchema | EnumSchema;

/**
 * A second use of a named type inside one schema must be a reference by name (Avro forbids defining
 * a name twice); `ref` makes that reference while keeping the referenced type for inference.
 */
export type NamedRef<S extends NamedSchema> = string & { readonly __named: S };
export function ref<S extends NamedSchema>(schema: S): NamedRef<S> {
  return (schema.namespace ? `${schema.namespace}.${schema.name}` : schema.name) as NamedRef<S>;
}

export type AvroSchema =
  | PrimitiveSchema
  | DecimalSchema
  | RecordSchema
  | EnumSchema
  | ArraySchema
  | NamedRef<NamedSchema>
  | readonly AvroSchema[];

/** The TypeScript type of the values a schema describes (nullable unions become `T | null`). */
export type Infer<S> =
  S extends NamedRef<infer N>
    ? Infer<N>
    : S extends 'null'
      ? null
      : S extends 'boolean'
        ? boolean
        : S extends 'int' | 'long' | 'float' | 'double'
          ? number
          : S extends 'string'
            ? string
            : S extends 'bytes'
              ? Buffer
              : S extends DecimalSchema
                ? string
                : S extends readonly (infer Member)[]
                  ? Infer<Member>
                  : S extends EnumSchema
                    ? S['symbols'][number]
                    : S extends ArraySchema
                      ? Infer<S['items']>[]
                      : S extends RecordSchema
                        ? { -readonly [F in S['fields'][number] as F['name']]: Infer<F['type']> }
                        : never;

export const NAMESPACE = 'crossvenue';
