import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { failureLine } from './commands.ts';
import { StackError } from './errors.ts';
import type { ServiceName } from './serviceName.ts';
import { sleep } from './time.ts';

/** Where a private server's console output goes, in its folder. */
export const OUTPUT_FILE = 'console.log';

/** How to run a private server's process, and how to tell it serves. */
export interface PrivateLaunch {
  service: ServiceName;
  command: string;
  args: string[];
  cwd: string;
  /** The caller's folder for it (configuration, data, logs), removed with it. */
  folder: string;
  /** Where it is reached, for messages. */
  where: string;
  /** Where its own log goes, named in a failure (its console output goes to OUTPUT_FILE in its folder). */
  logFile: string;
  /** True once it serves clients. */
  answers: () => Promise<boolean>;
  answerTimeoutMs: number;
}

/**
 * A server process of one caller's own (a test, a chaos run): started, stopped (an outage) and
 * started again on the same ports and data, without disturbing the shared stack's servers.
 */
export class PrivateProcess {
  private process: ChildProcess | undefined;

  constructor(private readonly launch: PrivateLaunch) {}

  /** Starts (again) on the same ports and data, and waits until it answers. */
  async resume(): Promise<void> {
    const { command, args, cwd, folder, answers, answerTimeoutMs, service, where, logFile } = this.launch;
    const output = openSync(join(folder, OUTPUT_FILE), 'a');
    const process = spawn(command, args, { cwd, stdio: ['ignore', output, output] });
    closeSync(output);
    this.process = process;
    const deadline = Date.now() + answerTimeoutMs;
    while (!(await answers())) {
      if (process.exitCode !== null) {
        const output = readFileSync(join(folder, OUTPUT_FILE), 'utf8');
        // A JVM's last line is the tail of a stack trace; the cause is on the last ERROR or "Caused by" line.
        const said = output.split('\n').findLast((line) => /\bERROR\b|Caused by:/.test(line))?.trim().slice(0, 300) ?? failureLine(output);
        throw new StackError(service, `the private server for ${where} exited with code ${process.exitCode} before it answered: ${said}`, logFile);
      }
      if (Date.now() > deadline) throw new StackError(service, `the private server for ${where} did not answer within ${answerTimeoutMs / 1000}s`, logFile);
      await sleep(250);
    }
  }

  /** Stops the server as an operator's restart does (SIGTERM, its own shutdown); the data stays for `resume`. */
  async pause(): Promise<void> {
    const process = this.process;
    if (!process || process.exitCode !== null || process.signalCode !== null) return;
    await new Promise<void>((resolve) => process.once('exit', () => resolve()).kill('SIGTERM'));
  }

  /** Stops it for good and deletes its folder. */
  async remove(): Promise<void> {
    await this.pause();
    rmSync(this.launch.folder, { recursive: true, force: true });
  }
}

/**
 * Private servers' ports: below Linux's ephemeral range (32768 up), which the OS hands out for
 * outgoing connections. A port from that range, free while the server was down, can be taken as
 * the local end of a client's connection, and the restart then fails to bind; and above the ports
 * the stack and the tests' runs use (the 18000s, 19000s, 26000s and 27000s).
 */
const PRIVATE_PORTS = { from: 28_000, to: 32_000 };

/** A loopback port in PRIVATE_PORTS nothing listens on now. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = PRIVATE_PORTS.from + Math.floor(Math.random() * (PRIVATE_PORTS.to - PRIVATE_PORTS.from));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free loopback port between ${PRIVATE_PORTS.from} and ${PRIVATE_PORTS.to} after 100 tries`);
}

function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
