import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '@crossvenue/runtime/process';
import { renderClickhouseConfig } from './clickhouse.ts';
import { freePort, PrivateProcess } from './privateServer.ts';

/**
 * A ClickHouse server of one caller's own (a test, a chaos run), on free loopback ports, in a
 * folder of its own, that the caller may stop and start again (an outage) without disturbing the
 * shared stack. Same binary and config as `stack up`.
 */
export class PrivateClickhouse extends PrivateProcess {
  readonly url: string;

  private constructor(
    folder: string,
    readonly httpPort: number,
    tcpPort: number,
    users: Credentials[],
  ) {
    const url = `http://127.0.0.1:${httpPort}`;
    const configFile = join(folder, 'conf', 'config.xml');
    const logFile = join(folder, 'clickhouse.log');
    super({ service: 'clickhouse', command: 'clickhouse-server', args: [`--config-file=${configFile}`], cwd: folder, folder, where: url, logFile, answers: () => answersPing(url), answerTimeoutMs: 60_000 });
    this.url = url;
    mkdirSync(join(folder, 'conf'));
    writeFileSync(configFile, renderClickhouseConfig({ dataDir: join(folder, 'data'), logFile, errorLogFile: `${logFile}.err`, httpPort, tcpPort, users }));
  }

  /** `users`: who may log in with a password, beside the passwordless `default`. */
  static async start(users: Credentials[] = []): Promise<PrivateClickhouse> {
    const server = new PrivateClickhouse(mkdtempSync(join(tmpdir(), 'crossvenue-clickhouse-')), await freePort(), await freePort(), users);
    await server.resume();
    return server;
  }
}

async function answersPing(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/ping`)).ok;
  } catch {
    return false;
  }
}
