import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '@crossvenue/runtime/process';
import { stackPaths } from './paths.ts';
import { freePort, OUTPUT_FILE, PrivateProcess } from './privateServer.ts';
import { checkSchemaRegistry, registryJavaArgs, resolveRegistryRunner } from './registry.ts';

/**
 * An Apicurio registry of one caller's own (a chaos run), on a free loopback port, its H2 database
 * in a folder of its own, so schema ids survive its restart as they do the stack's. It may be
 * stopped and started again (a registry restart) without disturbing the shared stack's registry.
 */
export class PrivateRegistry extends PrivateProcess {
  /** The Confluent-compatible API, as SCHEMA_REGISTRY_URL takes it. */
  readonly url: string;

  private constructor(
    folder: string,
    url: string,
    args: string[],
    logFile: string,
  ) {
    super({ service: 'schema-registry', command: 'java', args, cwd: join(folder, 'data'), folder, where: url, logFile, answers: () => checkSchemaRegistry(url).then(({ healthy }) => healthy, () => false), answerTimeoutMs: 120_000 });
    this.url = url;
  }

  static async start(logger: Logger = createLogger('stack')): Promise<PrivateRegistry> {
    const folder = mkdtempSync(join(tmpdir(), 'crossvenue-registry-'));
    // Apicurio logs to its console.
    const log = join(folder, OUTPUT_FILE);
    const runner = await resolveRegistryRunner(stackPaths(), log, logger);
    const port = await freePort();
    mkdirSync(join(folder, 'data'));
    const registry = new PrivateRegistry(folder, `http://127.0.0.1:${port}/apis/ccompat/v7`, registryJavaArgs(join(folder, 'data'), runner, port), log);
    await registry.resume();
    return registry;
  }
}
