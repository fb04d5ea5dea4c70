import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '@crossvenue/runtime/process';
import { checkKafka, plainBrokerLaunch, resolveKafkaJars } from './kafka.ts';
import { stackPaths } from './paths.ts';
import { freePort, PrivateProcess } from './privateServer.ts';

/**
 * A plain Kafka broker of one caller's own (a chaos run), on free loopback ports, its log
 * directories in a folder of its own: it may be stopped and started again (a broker restart)
 * without disturbing the shared stack's broker. Same jars and configuration as `stack up`'s.
 */
export class PrivateKafka extends PrivateProcess {
  readonly brokers: string[];

  private constructor(
    folder: string,
    port: number,
    launch: { command: string; args: string[]; cwd: string },
    logFile: string,
  ) {
    const brokers = [`127.0.0.1:${port}`];
    super({ service: 'kafka', ...launch, folder, where: brokers[0]!, logFile, answers: () => checkKafka(brokers).then(({ healthy }) => healthy, () => false), answerTimeoutMs: 90_000 });
    this.brokers = brokers;
  }

  static async start(logger: Logger = createLogger('stack')): Promise<PrivateKafka> {
    const folder = mkdtempSync(join(tmpdir(), 'crossvenue-kafka-'));
    const log = join(folder, 'kafka.log');
    const jars = await resolveKafkaJars(stackPaths(), 'kafka', log, logger);
    const ports = { kafkaPort: await freePort(), kafkaControllerPort: await freePort() };
    const launch = await plainBrokerLaunch({ jars, conf: join(folder, 'conf'), data: join(folder, 'data'), log, ports, logger });
    const broker = new PrivateKafka(folder, ports.kafkaPort, launch, log);
    await broker.resume();
    return broker;
  }
}
