import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Credentials } from '@crossvenue/runtime/process';
import { renderClickhouseConfig } from './clickhouse.ts';
import { StackError } from './errors.ts';
import { sleep } from './time.ts';

const ANSWER_TIMEOUT_MS = 60_000;

/**
 * A ClickHouse server of one caller's own (a test, a chaos run), on free loopback ports, in a
 * folder of its own, that the caller may stop and start again (an outage) without disturbing the
 * shared stack. Same binary and config as `stack up`.
 */
export class PrivateClickhouse {
  readonly url: string;
  private process: ChildProcess | undefined;
  private readonly folder = mkdtempSync(join(tmpdir(), 'crossvenue-clickhouse-'));
  private readonly configFile = join(this.folder, 'conf', 'config.xml');

  private constructor(readonly httpPort: number, tcpPort: number, users: Credentials[]) {
    this.url = `http://127.0.0.1:${httpPort}`;
    mkdirSync(join(this.folder, 'conf'));
    const logFile = join(this.folder, 'clickhouse.log');
    writeFileSync(
      this.configFile,
      renderClickhouseConfig({ dataDir: join(this.folder, 'data'), logFile, errorLogFile: `${logFile}.err`, httpPort, tcpPort, users }),
    );
  }

  /** `users`: who may log in with a password, beside the passwordless `default`. */
  static async start(users: Credentials[] = []): Promise<PrivateClickhouse> {
    const server = new PrivateClickhouse(await freePort(), await freePort(), users);
    await server.resume();
    return server;
  }

  /** Starts (again) on the same ports and data, and waits until it answers. */
  async resume(): Promise<void> {
    this.process = spawn('clickhouse-server', [`--config-file=${this.configFile}`], { cwd: this.folder, stdio: 'ignore' });
    const deadline = Date.now() + ANSWER_TIMEOUT_MS;
    while (!(await this.answers())) {
      if (Date.now() > deadline) throw new StackError('clickhouse', `the private server on ${this.url} did not answer /ping within ${ANSWER_TIMEOUT_MS / 1000}s`, join(this.folder, 'clickhouse.log'));
      await sleep(250);
    }
  }

  /** Stops the server (the outage); the data stays for `resume`. */
  async pause(): Promise<void> {
    const process = this.process;
    if (!process || process.exitCode !== null || process.signalCode !== null) return;
    await new Promise<void>((resolve) => process.once('exit', () => resolve()).kill('SIGTERM'));
  }

  async remove(): Promise<void> {
    await this.pause();
    rmSync(this.folder, { recursive: true, force: true });
  }

  private async answers(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/ping`)).ok;
    } catch {
      return false;
    }
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
