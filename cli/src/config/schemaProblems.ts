import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { configPath, pointerSegments, type PathSegment } from './configPath.ts';

/** The schema in the repository, the one editors and CI see too. */
const SCHEMA_FILE = fileURLToPath(new URL('../../../config/crossvenue.schema.json', import.meta.url));

export interface Problem {
  /** Where: the field's path, for deciding which later checks still make sense. */
  at: PathSegment[];
  line: string;
}

/** Keywords about an object's set of keys: an unknown key at the same place already says what is wrong. */
const KEY_COUNT = new Set(['required', 'minProperties', 'maxProperties']);

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping (key: value)',
  array: 'a list',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
};

interface Schema {
  $defs: Record<string, { description?: string }>;
}

let compiled: { validate: ValidateFunction; schema: Schema; secretDefinitions: Set<unknown> } | undefined;

function validator() {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Schema;
    const validate = new Ajv2020({ allErrors: true, verbose: true, strict: true }).compile(schema);
    // The definitions of secrets by reference: whatever else stands there is taken for an inline secret.
    const secretDefinitions = new Set<unknown>(['secretRef', 'secretSource', 'credentials'].map((name) => schema.$defs[name]));
    compiled = { validate, schema, secretDefinitions };
  }
  return compiled;
}

/**
 * What the schema finds wrong with the parsed file: one problem per mistake. ajv reports some
 * mistakes more than once (an unknown key also breaks the object's key count; a wrong type fails
 * the pattern too), so only the error that says it best is kept. No line echoes a value: a value
 * in the wrong place may be a secret.
 */
export function schemaProblems(data: unknown): Problem[] {
  const { validate } = validator();
  if (validate(data)) return [];
  const errors = validate.errors ?? [];
  const withUnknownKeys = new Set(errors.filter((e) => e.keyword === 'additionalProperties').map((e) => e.instancePath));
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const problems = new Map<string, Problem>();
  for (const error of errors) {
    if (KEY_COUNT.has(error.keyword) && withUnknownKeys.has(error.instancePath)) continue;
    if (error.keyword !== 'type' && wrongType.has(error.instancePath)) continue;
    // A bad key name: the propertyNames error says it once for the key.
    if (error.propertyName !== undefined && error.keyword !== 'propertyNames') continue;
    const problem = describe(error);
    problems.set(problem.line, problem);
  }
  return [...problems.values()];
}

function describe(error: ErrorObject): Problem {
  const at = pointerSegments(error.instancePath);
  const schema = error.parentSchema as { description?: string; pattern?: string } | undefined;
  const expected = schema?.description;
  const here = (line: string, where: PathSegment[] = at): Problem => ({ at: where, line: `${configPath(...where) || '(top level)'}: ${line}` });
  const { params } = error;
  const inlineSecret = validator().secretDefinitions.has(error.parentSchema);
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const where = [...at, key];
      if (inlineSecret) return here(`inline secrets are refused; give them by reference: ${expected}`, where);
      const known = Object.keys((error.parentSchema as { properties?: object }).properties ?? {});
      return here(`unknown key; known: ${known.join(', ')}`, where);
    }
    case 'required':
      return here('missing', [...at, String(params.missingProperty)]);
    case 'type':
      if (inlineSecret) return here(`inline secrets are refused; give them by reference: ${expected}`);
      // A string with a pattern has a description saying what it should look like (a quoted decimal…).
      return here(`expected ${schema?.pattern && expected ? expected : TYPE_WORDS[String(params.type)] ?? String(params.type)}`);
    case 'pattern':
    case 'minProperties':
    case 'maxProperties':
      return here(`expected ${expected ?? error.message}`);
    case 'propertyNames':
      return here(`key is not ${describedKey(error)}`, [...at, String(params.propertyName)]);
    case 'enum':
      return here(`expected one of ${(params.allowedValues as unknown[]).join(', ')}`);
    case 'minimum':
      return here(`must be at least ${params.limit}`);
    case 'maximum':
      return here(`must be at most ${params.limit}`);
    case 'minItems':
      return here(`must list at least ${params.limit}`);
    case 'minLength':
      return here('must not be empty');
    case 'not':
      // A key the schema lists only to refuse it: its description says why.
      return here(expected ?? error.keyword);
    default:
      return here(error.message ?? error.keyword);
  }
}

/** The key format of a propertyNames schema (a $ref to a described pattern). */
function describedKey(error: ErrorObject): string {
  const ref = (error.schema as { $ref?: string } | undefined)?.$ref;
  return (ref && validator().schema.$defs[ref.replace('#/$defs/', '')]?.description) || 'a valid key';
}
