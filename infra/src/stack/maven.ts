import { createHash } from 'node:crypto';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '@crossvenue/runtime/process';
import { failureLine, runCommand } from './commands.ts';
import { StackError } from './errors.ts';
import type { ServiceName } from './serviceName.ts';
import { formatDuration } from './time.ts';

export interface MavenResolution {
  service: ServiceName;
  /** What is resolved, for progress lines: "Kafka jars". */
  what: string;
  /** The pinned project under infra/maven. */
  pom: string;
  /** A dependency-plugin goal that writes into `-DoutputDirectory`. */
  goal: string;
  /** The folder that receives the artifacts. */
  target: string;
  /** Where Maven's output goes when it fails. */
  log: string;
  logger: Logger;
}

const MARKER = '.resolved-from-pom';

// Two Maven runs writing the same ~/.m2 artifacts at once can corrupt them, so runs are queued.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Resolves what a pinned POM names into `target`, once: a marker holding the POM's hash makes reruns
 * free, and an edited POM (a version bump) resolves again. Maven runs against a copy of the POM in a
 * staging folder so that nothing (such as target/) is written into the repository, and the staging
 * folder replaces `target` only when Maven succeeded.
 */
export async function resolveWithMaven(resolution: MavenResolution): Promise<void> {
  const pomHash = createHash('sha256').update(readFileSync(resolution.pom)).digest('hex');
  const marker = join(resolution.target, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8') === pomHash) return;

  const run = queue.then(() => runMaven(resolution, pomHash));
  queue = run.catch(() => undefined);
  await run;
}

async function runMaven({ service, what, pom, goal, target, log, logger }: MavenResolution, pomHash: string) {
  const staging = `${target}.staging`;
  const output = join(staging, 'artifacts');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  copyFileSync(pom, join(staging, 'pom.xml'));

  logger.info(`resolving ${what} with Maven`);
  const started = Date.now();
  const args = ['-q', '-B', '-Dstyle.color=never', '-f', join(staging, 'pom.xml'), goal, `-DoutputDirectory=${output}`];
  const result = await runCommand('mvn', args, { cwd: staging });
  if (result.code !== 0) {
    appendFileSync(log, `\n$ mvn ${args.join(' ')}\n${result.output}\n`);
    throw new StackError(service, `Maven could not resolve ${what}: ${failureLine(result.output)}`, log);
  }
  writeFileSync(join(output, MARKER), pomHash);
  rmSync(target, { recursive: true, force: true });
  renameSync(output, target);
  rmSync(staging, { recursive: true, force: true });
  logger.info(`resolved ${what} in ${formatDuration(Date.now() - started)}`);
}
