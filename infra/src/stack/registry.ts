import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_STACK, type Credentials, type Logger } from '@crossvenue/runtime/process';
import { StackError } from './errors.ts';
import type { Health } from './health.ts';
import { resolveWithMaven } from './maven.ts';
import { httpGet } from './net.ts';
import { MAVEN_PROJECTS_DIR, type StackPaths } from './paths.ts';
import { JAVA, MAVEN } from './prerequisites.ts';
import type { LaunchSpec } from './processes.ts';
import type { ServiceDefinition } from './service.ts';

/**
 * Healthy when the Confluent-compatible API lists subjects. This is what every client uses, and it
 * works for any Confluent-compatible registry at SCHEMA_REGISTRY_URL, not only Apicurio.
 */
export async function checkSchemaRegistry(schemaRegistryUrl: string, auth?: Credentials): Promise<Health> {
  const { status, body } = await httpGet(`${schemaRegistryUrl}/subjects`, 3_000, auth);
  if (status !== 200) return { healthy: false, detail: `GET /subjects answered ${status}` };
  const subjects: unknown = JSON.parse(body);
  if (!Array.isArray(subjects)) return { healthy: false, detail: 'GET /subjects did not answer a JSON array' };
  return { healthy: true, detail: `${subjects.length} subject${subjects.length === 1 ? '' : 's'}` };
}

/**
 * Apicurio's JVM flags: loopback only, and an H2 database in a file under the stack's data folder
 * instead of the default in-memory one, so that schema ids survive a restart as Kafka's records do.
 */
export function registryJavaArgs(dataDir: string, runnerJar: string, port: number = LOCAL_STACK.registryPort): string[] {
  return [
    '-Xmx384m',
    `-Dquarkus.http.port=${port}`,
    '-Dquarkus.http.host=127.0.0.1',
    `-Dapicurio.datasource.url=jdbc:h2:file:${join(dataDir, 'registry')}`,
    '-jar',
    runnerJar,
  ];
}

/** The pinned Apicurio runner jar, resolved once into the stack's lib folder and shared by every registry of ours. */
export async function resolveRegistryRunner(paths: StackPaths, log: string, logger: Logger): Promise<string> {
  const app = paths.lib('schema-registry');
  await resolveWithMaven({
    service: 'schema-registry',
    what: 'Apicurio Registry',
    pom: join(MAVEN_PROJECTS_DIR, 'schema-registry', 'pom.xml'),
    goal: 'dependency:unpack',
    target: app,
    log,
    logger,
  });
  // The runner jar is named after the pinned version, which only the POM states.
  const runner = readdirSync(app).find((file) => file.endsWith('-runner.jar'));
  if (!runner) throw new StackError('schema-registry', `no *-runner.jar in ${app}; delete that folder to resolve again`);
  return join(app, runner);
}

async function prepareRegistry(paths: StackPaths, logger: Logger): Promise<LaunchSpec> {
  const runner = await resolveRegistryRunner(paths, paths.log('schema-registry'), logger);
  const data = paths.data('schema-registry');
  mkdirSync(data, { recursive: true });
  return { command: 'java', args: registryJavaArgs(data, runner), cwd: data };
}

export const schemaRegistryService: ServiceDefinition = {
  name: 'schema-registry',
  envVar: 'SCHEMA_REGISTRY_URL',
  endpoint: (endpoints) => endpoints.schemaRegistryUrl,
  ports: [LOCAL_STACK.registryPort],
  prerequisites: [JAVA, MAVEN],
  healthTimeoutMs: 120_000,
  check: (endpoint, endpoints) => checkSchemaRegistry(endpoint, endpoints.registryAuth),
  prepare: prepareRegistry,
};
