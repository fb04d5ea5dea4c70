import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaJsSecurity, LOCAL_STACK, type KafkaSecurity, type Logger } from '@crossvenue/runtime/process';
import { Kafka, logLevel } from 'kafkajs';
import { failureLine, runCommand } from './commands.ts';
import { StackError } from './errors.ts';
import type { Health } from './health.ts';
import { resolveWithMaven } from './maven.ts';
import { MAVEN_PROJECTS_DIR, type StackPaths } from './paths.ts';
import { JAVA, MAVEN } from './prerequisites.ts';
import type { LaunchSpec } from './processes.ts';
import type { ServiceDefinition } from './service.ts';
import type { ServiceName } from './serviceName.ts';

/** A single combined broker + controller (KRaft) on loopback; replication factors are 1. The stack's ports unless others are given (a private broker's). */
export function renderServerProperties(dataDir: string, ports: KafkaPorts = LOCAL_STACK): string {
  const { kafkaPort, kafkaControllerPort } = ports;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${kafkaControllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${kafkaPort},CONTROLLER://127.0.0.1:${kafkaControllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${kafkaPort}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    ...singleNodeProperties(dataDir),
  ].join('\n');
}

/**
 * What every local broker of ours shares, the plain one and the secure one: its data, replication
 * factors of 1, no rebalance delay, and no topic created by accident.
 */
export function singleNodeProperties(dataDir: string): string[] {
  return [
    `log.dirs=${dataDir}`,
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.partitions=1',
    // Workers create their topics from the catalogue; a typo in a topic name must fail, not create a topic.
    'auto.create.topics.enable=false',
    '',
  ];
}

/** Broker logs go to one rolling file in the stack's log folder, never to the console. */
export function renderLog4jProperties(logFile: string): string {
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.appender.file=org.apache.log4j.RollingFileAppender',
    `log4j.appender.file.File=${logFile}`,
    'log4j.appender.file.MaxFileSize=50MB',
    'log4j.appender.file.MaxBackupIndex=2',
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    // The request logger repeats every request at DEBUG/TRACE; keep it quiet.
    'log4j.logger.kafka.request.logger=WARN',
    '',
  ].join('\n');
}

/** Healthy when a broker answers a metadata request and lists at least one live (unfenced) broker. */
export async function checkKafka(brokers: string[], security?: KafkaSecurity): Promise<Health> {
  const admin = new Kafka({
    clientId: 'crossvenue-stack-health',
    brokers,
    ...kafkaJsSecurity(security),
    connectionTimeout: 1_000,
    requestTimeout: 3_000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    const count = cluster.brokers.length;
    return { healthy: count > 0, detail: `cluster ${cluster.clusterId}, ${count} broker${count === 1 ? '' : 's'}` };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface KafkaPorts {
  kafkaPort: number;
  kafkaControllerPort: number;
}

/** The pinned Kafka jars, resolved once into the stack's lib folder and shared by every broker of ours. */
export async function resolveKafkaJars(paths: StackPaths, service: ServiceName, log: string, logger: Logger): Promise<string> {
  const jars = paths.lib('kafka');
  await resolveWithMaven({ service, what: 'Kafka jars', pom: join(MAVEN_PROJECTS_DIR, 'kafka', 'pom.xml'), goal: 'dependency:copy-dependencies', target: jars, log, logger });
  return jars;
}

/**
 * A plain broker's launch: its configuration written into `conf`, its storage in `data` formatted
 * the first time, and the java command that runs it.
 */
export async function plainBrokerLaunch(options: { jars: string; conf: string; data: string; log: string; ports?: KafkaPorts; logger: Logger }): Promise<LaunchSpec> {
  const { jars, conf, data, log, ports, logger } = options;
  mkdirSync(conf, { recursive: true });
  mkdirSync(data, { recursive: true });
  const serverProperties = join(conf, 'server.properties');
  const log4jProperties = join(conf, 'log4j.properties');
  writeFileSync(serverProperties, renderServerProperties(data, ports));
  writeFileSync(log4jProperties, renderLog4jProperties(log));

  // Java expands the classpath wildcard itself; no shell is involved.
  const java = [`-Dlog4j.configuration=file:${log4jProperties}`, '-cp', join(jars, '*')];
  if (!existsSync(join(data, 'meta.properties'))) {
    logger.info('formatting Kafka storage');
    const clusterId = parseClusterId(await storageTool(java, ['random-uuid'], log));
    await storageTool(java, ['format', '-t', clusterId, '-c', serverProperties], log);
  }
  return { command: 'java', args: ['-Xmx512m', '-Xms256m', ...java, 'kafka.Kafka', serverProperties], cwd: data };
}

async function prepareKafka(paths: StackPaths, logger: Logger): Promise<LaunchSpec> {
  const log = paths.log('kafka');
  const jars = await resolveKafkaJars(paths, 'kafka', log, logger);
  return plainBrokerLaunch({ jars, conf: paths.conf('kafka'), data: paths.data('kafka'), log, logger });
}

async function storageTool(java: string[], args: string[], log: string): Promise<string> {
  const result = await runCommand('java', [...java, 'kafka.tools.StorageTool', ...args]);
  if (result.code !== 0) {
    throw new StackError('kafka', `kafka.tools.StorageTool ${args[0]} failed: ${failureLine(result.output)}`, log);
  }
  return result.output;
}

/** The cluster id printed by `StorageTool random-uuid`: 16 bytes in URL-safe base64, 22 characters. */
export function parseClusterId(output: string): string {
  const id = output.split('\n').map((line) => line.trim()).find((line) => /^[\w-]{22}$/.test(line));
  if (!id) throw new StackError('kafka', `kafka.tools.StorageTool random-uuid printed no cluster id: ${failureLine(output)}`);
  return id;
}

export const kafkaService: ServiceDefinition = {
  name: 'kafka',
  envVar: 'KAFKA_BROKERS',
  endpoint: (endpoints) => endpoints.kafkaBrokers.join(','),
  ports: [LOCAL_STACK.kafkaPort, LOCAL_STACK.kafkaControllerPort],
  prerequisites: [JAVA, MAVEN],
  healthTimeoutMs: 90_000,
  check: (endpoint, endpoints) => checkKafka(endpoint.split(','), endpoints.kafkaSecurity),
  prepare: prepareKafka,
};
