import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { DCLinter } from 'dclint';

/**
 * The Compose Specification's JSON schema, as dclint ships it (`schemas/compose.schema.json`, the
 * compose-spec project's file), compiled with the options dclint itself uses. The spec is strict: a
 * service key it does not define is an error, so a misspelled key cannot pass. (Its `$schema` names
 * draft-07 by a URL ajv does not list, hence no meta-schema check of the schema itself.)
 */
const schemaFile = join(dirname(createRequire(import.meta.url).resolve('dclint/package.json')), 'schemas', 'compose.schema.json');
const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, validateSchema: false }).compile(JSON.parse(readFileSync(schemaFile, 'utf8')));

/** What is wrong with a parsed compose file, one line per problem naming where; [] when valid. */
export function composeErrors(compose: unknown): string[] {
  if (validate(compose)) return [];
  return (validate.errors ?? []).filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf').map(describe);
}

function describe(error: ErrorObject): string {
  const where = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') return `${where}: unknown key "${String(error.params.additionalProperty)}"`;
  return `${where}: ${error.message ?? 'is invalid'}`;
}

/**
 * Every dclint rule, on or off (a rule left out runs). On: those about correctness and security — a
 * concrete image tag, published ports bound to an interface and quoted (YAML 1.1 reads 22:22 as a
 * number), no port or container name twice, a project name, no obsolete `version`. Off: key and
 * service ordering, which is layout; and build-with-image, which is how every worker service runs
 * the one image it builds.
 */
type Rules = ConstructorParameters<typeof DCLinter>[0]['rules'];
const RULES: Rules = {
  'no-build-and-image': 0,
  'no-duplicate-container-names': 2,
  'no-duplicate-exported-ports': 2,
  'no-quotes-in-volumes': 0,
  'no-unbound-port-interfaces': 2,
  'no-version-field': 2,
  'require-project-name-field': 2,
  'require-quotes-in-ports': [2, { quoteType: 'double' }],
  'service-container-name-regex': 2,
  'service-dependencies-alphabetical-order': 0,
  'service-image-require-explicit-tag': 2,
  'service-keys-order': 0,
  'service-ports-alphabetical-order': 0,
  'services-alphabetical-order': 0,
  'top-level-properties-order': 0,
};

/** dclint's findings on a compose file on disk (its schema check included), one line each; [] when clean. */
export function composeLintFindings(file: string): string[] {
  const linter = new DCLinter({ rules: RULES, quiet: true, debug: false, exclude: [] });
  return linter.lintFiles([file], false).flatMap((result) => result.messages.map((m) => `${m.rule} (line ${m.line}): ${m.message}`));
}
