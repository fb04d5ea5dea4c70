import type { Logger } from '@crossvenue/runtime/process';
import { failureLine, findExecutable, runCommand } from './commands.ts';

/** A program the stack needs on the machine, and the Debian packages that provide it. */
export interface Prerequisite {
  /** What a person would install by hand, e.g. "Java 17+". */
  description: string;
  isPresent: () => Promise<boolean>;
  aptPackages: string[];
}

const onPath = (command: string) => async () => (await findExecutable(command)) !== undefined;

/** The major Java version from `java -version` output ("1.8.0_292" is 8, "17.0.15" is 17), or 0. */
export function parseJavaMajorVersion(versionOutput: string): number {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return 0;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2] ?? 0) : first;
}

async function javaMajorVersion(): Promise<number> {
  try {
    return parseJavaMajorVersion((await runCommand('java', ['-version'])).output);
  } catch {
    return 0;
  }
}

// Apicurio Registry 3 needs Java 17; Kafka 3.9 runs on it too.
export const JAVA: Prerequisite = {
  description: 'Java 17+',
  isPresent: async () => (await javaMajorVersion()) >= 17,
  aptPackages: ['default-jre-headless'],
};

export const MAVEN: Prerequisite = { description: 'Apache Maven', isPresent: onPath('mvn'), aptPackages: ['maven'] };

export const CLICKHOUSE_SERVER: Prerequisite = {
  description: 'clickhouse-server 18.16+',
  isPresent: onPath('clickhouse-server'),
  aptPackages: ['clickhouse-server', 'clickhouse-client'],
};

/** Not needed by the stack itself: the integration tests use it as a client that is not kafkajs. */
export const KCAT: Prerequisite = { description: 'kcat', isPresent: onPath('kcat'), aptPackages: ['kcat'] };

/** Not needed by the stack either: the dashboard's browser test drives Debian's chromium headless. */
export const CHROMIUM: Prerequisite = { description: 'chromium', isPresent: onPath('chromium'), aptPackages: ['chromium'] };

/** What the tests use beside the servers; a missing one is a warning, not a failed stack. */
export const TEST_TOOLS: readonly Prerequisite[] = [KCAT, CHROMIUM];

/**
 * Installs every missing prerequisite with one apt-get run (apt holds a lock, so never in parallel).
 * Returns, for each prerequisite still missing afterwards, why it could not be installed.
 */
export async function installPrerequisites(wanted: Prerequisite[], logger: Logger): Promise<Map<Prerequisite, string>> {
  const unique = [...new Set(wanted)];
  const present = await Promise.all(unique.map((p) => p.isPresent()));
  const missing = unique.filter((_, i) => !present[i]);
  const failures = new Map<Prerequisite, string>();
  if (missing.length === 0) return failures;

  const packages = missing.flatMap((p) => p.aptPackages);
  const problem = await aptInstall(packages, logger);
  for (const prerequisite of missing) {
    if (problem) failures.set(prerequisite, problem);
    else if (!(await prerequisite.isPresent())) failures.set(prerequisite, `not found after apt-get install ${prerequisite.aptPackages.join(' ')}`);
  }
  return failures;
}

/** Installs Debian packages; returns undefined on success, else the reason. */
async function aptInstall(packages: string[], logger: Logger): Promise<string | undefined> {
  const aptGet = await findExecutable('apt-get');
  if (!aptGet) return 'apt-get not found';
  const privileged = process.getuid?.() === 0;
  const sudo = privileged ? undefined : await findExecutable('sudo');
  if (!privileged && !sudo) return 'apt-get needs root and sudo is not available';
  // `sudo -n` fails at once instead of waiting for a password nobody will type.
  const apt = (args: string[]) =>
    sudo ? runCommand(sudo, ['-n', aptGet, ...args], { env: APT_ENV }) : runCommand(aptGet, args, { env: APT_ENV });
  const install = ['install', '-y', '--no-install-recommends', ...packages];

  logger.info(`installing ${packages.join(' ')} with apt-get`);
  let result = await apt(install);
  if (result.code !== 0) {
    // A fresh machine often has no package lists yet.
    logger.info('apt-get install failed; running apt-get update and trying again');
    await apt(['update']);
    result = await apt(install);
  }
  return result.code === 0 ? undefined : `apt-get install ${packages.join(' ')} failed: ${failureLine(result.output)}`;
}

const APT_ENV = { DEBIAN_FRONTEND: 'noninteractive' };
