import type { AvroSchema, FieldSchema } from './AvroSchema.ts';

/**
 * Every named type (record, enum) defined anywhere in a schema, under its short and its qualified
 * name, so a reference by name can be followed to its definition wherever it appears.
 */
export function namedDefinitions(schema: AvroSchema, found = new Map<string, AvroSchema>()): Map<string, AvroSchema> {
  if (typeof schema === 'string') return found;
  if (Array.isArray(schema)) {
    for (const member of schema as readonly AvroSchema[]) namedDefinitions(member, found);
    return found;
  }
  const node = schema as Exclude<AvroSchema, string | readonly AvroSchema[]>;
  if (node.type === 'record' || node.type === 'enum') {
    found.set(node.name, node);
    if (node.namespace) found.set(`${node.namespace}.${node.name}`, node);
  }
  if (node.type === 'record') for (const field of node.fields as readonly FieldSchema[]) namedDefinitions(field.type, found);
  if (node.type === 'array') namedDefinitions(node.items, found);
  return found;
}

/** Follows a reference by name to its definition; any other schema is returned as it is. */
export function resolveNamed(schema: AvroSchema, definitions: Map<string, AvroSchema>): AvroSchema {
  return typeof schema === 'string' && definitions.has(schema) ? definitions.get(schema)! : schema;
}
