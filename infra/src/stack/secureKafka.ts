import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { createLogger, LOCAL_STACK, resolveEndpoints, type Logger } from '@crossvenue/runtime/process';
import { makeBrokerCertificates, type BrokerCertificates } from './certificates.ts';
import { failureLine, runCommand } from './commands.ts';
import { StackError } from './errors.ts';
import { waitUntilHealthy } from './health.ts';
import { checkKafka, parseClusterId, renderLog4jProperties, resolveKafkaJars, singleNodeProperties } from './kafka.ts';
import { isPortInUse } from './net.ts';
import { stackPaths } from './paths.ts';
import { installPrerequisites, JAVA, MAVEN } from './prerequisites.ts';
import { isAlive, runningPid, startDetached, stopProcess, type StopOutcome } from './processes.ts';
import { formatDuration } from './time.ts';

/**
 * A second local Kafka that only speaks SASL_SSL, beside the plain one of `stack up`: the broker the
 * security settings (KAFKA_SASL_*, KAFKA_TLS*) are tested against. One combined broker and
 * controller on 19094 (clients) and 19095 (controller), with its own data, certificates and users
 * under `<stack>/data/kafka-secure/`:
 *
 * - `tls/`: a private CA, the broker's keystore signed by it, the CA as PEM for clients (keytool);
 * - `secrets.json`: the passwords, made once (mode 0600);
 * - `client.json`: the settings a client needs, password included (mode 0600), keyed by setting name;
 * - `kraft/`: the log directories, formatted with both SCRAM users (`StorageTool format --add-scram`).
 *
 * Clients authenticate with SCRAM-SHA-512 over TLS; the broker reaches itself (transaction markers)
 * the same way as user `broker`; the controller listener is TLS with client certificates. Nothing
 * listens in plain text.
 */
const NAME = 'kafka-secure';
const MECHANISM = 'SCRAM-SHA-512';
const CLIENT_USER = 'crossvenue';
const BROKER_USER = 'broker';
const HEALTH_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 30_000;

/** The settings a worker needs for the secured broker, by name (see resolveEndpoints). */
export interface SecureKafkaSettings {
  KAFKA_BROKERS: string;
  KAFKA_SASL_MECHANISM: 'scram-sha-512';
  KAFKA_SASL_USERNAME: string;
  KAFKA_SASL_PASSWORD: string;
  KAFKA_TLS: 'true';
  KAFKA_TLS_CA_FILE: string;
}

export interface SecureKafka {
  /** Pass these (with the rest of the environment) to resolveEndpoints or a worker. */
  settings: SecureKafkaSettings;
  /** Where `settings` is kept: a JSON secrets file, keyed by setting name. */
  settingsFile: string;
  pid: number;
}

export interface SecureKafkaOptions {
  /** Where CROSSVENUE_STACK_DIR is read from; defaults to process.env. */
  env?: Record<string, string | undefined>;
  logger?: Logger;
}

interface BrokerSecrets {
  /** User `crossvenue`'s, for clients. */
  clientPassword: string;
  /** User `broker`'s: the broker authenticates to itself with it. */
  brokerPassword: string;
  /** The keystore's and truststore's. */
  storePassword: string;
}

function layout(env: Record<string, string | undefined>) {
  const paths = stackPaths(env);
  const home = paths.data(NAME);
  return {
    paths,
    marker: paths.root + sep,
    kraft: join(home, 'kraft'),
    tls: join(home, 'tls'),
    clientFile: join(home, 'client.json'),
    secretsFile: join(home, 'secrets.json'),
    conf: paths.conf(NAME),
    log: paths.log(NAME),
    pidFile: paths.pidFile(NAME),
  };
}
type Layout = ReturnType<typeof layout>;

/**
 * Starts the secured broker, or reuses the one already running (ours, by pid file), and waits until
 * a client with its settings is served. Idempotent; `stopSecureKafka` stops it.
 */
export async function startSecureKafka(options: SecureKafkaOptions = {}): Promise<SecureKafka> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger('stack');
  const files = layout(env);
  const began = Date.now();
  let pid = runningPid(files.pidFile, files.marker);
  if (pid === undefined) {
    const missing = await installPrerequisites([JAVA, MAVEN], logger);
    for (const problem of missing.values()) throw new StackError(NAME, `prerequisite missing: ${problem}`);
    for (const port of [LOCAL_STACK.kafkaSecurePort, LOCAL_STACK.kafkaSecureControllerPort]) {
      if (await isPortInUse(port)) throw new StackError(NAME, `port ${port} is in use by a program that is not our ${NAME}; stop it`);
    }
    const launch = await prepare(files, logger);
    pid = startDetached({ ...launch, logFile: files.log, pidFile: files.pidFile });
    logger.info(`started ${NAME} (pid ${pid}); waiting up to ${formatDuration(HEALTH_TIMEOUT_MS)}`);
  }
  const settings = readJson<SecureKafkaSettings>(files.clientFile);
  // Checked as a worker would connect: its settings through resolveEndpoints.
  const { kafkaBrokers, kafkaSecurity } = resolveEndpoints({ ...settings });
  const running = pid;
  await waitUntilHealthy(() => checkKafka(kafkaBrokers, kafkaSecurity), {
    service: NAME,
    log: files.log,
    timeoutMs: HEALTH_TIMEOUT_MS,
    isRunning: () => isAlive(running, files.marker),
  });
  logger.info(`${NAME} healthy on ${settings.KAFKA_BROKERS} (SASL_SSL) in ${formatDuration(Date.now() - began)}`);
  return { settings, settingsFile: files.clientFile, pid };
}

/** Stops the secured broker if it is ours and running; its data, users and certificates stay. */
export function stopSecureKafka(options: Pick<SecureKafkaOptions, 'env'> = {}): Promise<StopOutcome> {
  const files = layout(options.env ?? process.env);
  return stopProcess(files.pidFile, files.marker, STOP_GRACE_MS);
}

async function prepare(files: Layout, logger: Logger) {
  const jars = await resolveKafkaJars(files.paths, NAME, files.log, logger);
  const secrets = ensureSecrets(files);
  const certificates = await makeBrokerCertificates(files.tls, secrets.storePassword);
  const client: SecureKafkaSettings = {
    KAFKA_BROKERS: `127.0.0.1:${LOCAL_STACK.kafkaSecurePort}`,
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: CLIENT_USER,
    KAFKA_SASL_PASSWORD: secrets.clientPassword,
    KAFKA_TLS: 'true',
    KAFKA_TLS_CA_FILE: certificates.caPem,
  };
  writeJson(files.clientFile, client);

  mkdirSync(files.conf, { recursive: true });
  mkdirSync(files.kraft, { recursive: true });
  const serverProperties = join(files.conf, 'server.properties');
  const log4jProperties = join(files.conf, 'log4j.properties');
  // It holds the keystore and broker passwords: readable by the owner only.
  writeFileSync(serverProperties, renderSecureServerProperties(files.kraft, certificates, secrets), { mode: 0o600 });
  writeFileSync(log4jProperties, renderLog4jProperties(files.log));

  const java = [`-Dlog4j.configuration=file:${log4jProperties}`, '-cp', join(jars, '*')];
  if (!existsSync(join(files.kraft, 'meta.properties'))) {
    logger.info(`formatting ${NAME} storage with SCRAM users ${CLIENT_USER} and ${BROKER_USER}`);
    const clusterId = parseClusterId(await storageTool(java, ['random-uuid'], files.log, []));
    const users: Array<[string, string]> = [
      [CLIENT_USER, secrets.clientPassword],
      [BROKER_USER, secrets.brokerPassword],
    ];
    // StorageTool takes the passwords on its command line only; it runs for a second, on this machine.
    const scram = users.flatMap(([name, password]) => ['--add-scram', `${MECHANISM}=[name=${name},password=${password}]`]);
    await storageTool(java, ['format', '-t', clusterId, '-c', serverProperties, ...scram], files.log, users.map(([, password]) => password));
  }
  return { command: 'java', args: ['-Xmx384m', '-Xms128m', ...java, 'kafka.Kafka', serverProperties], cwd: files.kraft };
}

/**
 * The passwords, made once. New passwords mean new SCRAM users, which only a fresh format creates,
 * so old log directories and certificates go with them.
 */
function ensureSecrets(files: Layout): BrokerSecrets {
  if (existsSync(files.secretsFile)) return readJson<BrokerSecrets>(files.secretsFile);
  rmSync(files.kraft, { recursive: true, force: true });
  rmSync(files.tls, { recursive: true, force: true });
  const secrets = { clientPassword: newPassword(), brokerPassword: newPassword(), storePassword: newPassword() };
  writeJson(files.secretsFile, secrets);
  return secrets;
}

const newPassword = () => randomBytes(24).toString('base64url');

/**
 * The broker's configuration. SCRAM credentials live in the cluster metadata, which the controller
 * has not read yet when it authenticates, so the controller listener uses TLS client certificates
 * (KIP-631) instead; the broker presents its own keystore there.
 */
export function renderSecureServerProperties(logDir: string, certificates: BrokerCertificates, secrets: Pick<BrokerSecrets, 'brokerPassword' | 'storePassword'>): string {
  const { kafkaSecurePort: port, kafkaSecureControllerPort: controllerPort } = LOCAL_STACK;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=SASL_SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=SASL_SSL://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=SASL_SSL',
    'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL',
    `sasl.enabled.mechanisms=${MECHANISM}`,
    `sasl.mechanism.inter.broker.protocol=${MECHANISM}`,
    `listener.name.sasl_ssl.${MECHANISM.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${BROKER_USER}" password="${secrets.brokerPassword}";`,
    'listener.name.controller.ssl.client.auth=required',
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${certificates.keystore}`,
    `ssl.keystore.password=${secrets.storePassword}`,
    'ssl.truststore.type=PKCS12',
    `ssl.truststore.location=${certificates.truststore}`,
    `ssl.truststore.password=${secrets.storePassword}`,
    ...singleNodeProperties(logDir),
  ].join('\n');
}

/** Runs Kafka's StorageTool; `secrets` (passed on its command line) are blanked out of any failure line. */
async function storageTool(java: string[], args: string[], log: string, secrets: string[]): Promise<string> {
  const result = await runCommand('java', [...java, 'kafka.tools.StorageTool', ...args]);
  if (result.code !== 0) {
    const line = secrets.reduce((text, secret) => text.split(secret).join('[redacted]'), failureLine(result.output));
    throw new StackError(NAME, `kafka.tools.StorageTool ${args[0]} failed: ${line}`, log);
  }
  return result.output;
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (error) {
    throw new StackError(NAME, `cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Secrets files: the owner alone may read them. */
function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}
