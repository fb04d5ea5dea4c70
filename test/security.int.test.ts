import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createClient } from '@clickhouse/client';
import { applyClickHouseSchema, startSecureKafka, stopSecureKafka, type SecureKafka } from '@crossvenue/infra';
import { createLogger, KafkaAccessError, KafkaBus, kafkaMessageBus, resolveEndpoints, type ConsumedRecord, type Credentials } from '@crossvenue/runtime';
import { waitFor } from '@crossvenue/runtime/testing';
import { BookSnapshotSchema, defineTopic, RegistryCodec, type BookSnapshot } from '@crossvenue/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateClickhouse } from './support/privateClickhouse.ts';

/**
 * Item 4 of issue 15 against real servers: the local broker started in SASL_SSL mode by the stack
 * scripts (its own certificates and SCRAM users), a ClickHouse whose config defines a user with a
 * password, and the registry client's basic auth. Apicurio's own basic auth needs an OIDC server, so
 * the registry runs without auth here; an HTTP front that demands basic auth and forwards to it
 * checks what the client sends on every request.
 */
const BIN = fileURLToPath(new URL('../cli/bin/crossvenue.js', import.meta.url));
const quiet = createLogger('security-test', { level: 'warn' });
const run = randomUUID().slice(0, 8);
// Recognisable, so that any trace of them in a log or an error is found.
const WRONG_KAFKA_PASSWORD = `wrong-kafka-pw-${run}`;
const REGISTRY = { username: 'registry-user', password: `registry-pw-${run}` };
const CLICKHOUSE = { username: 'crossvenue', password: `clickhouse-pw-${run}` };

const books = defineTopic({
  name: 'test.security.books',
  schema: BookSnapshotSchema,
  keyDoc: 'instrument',
  key: (value) => value.instrument,
  partitions: 1,
  compacted: false,
});
const book = (): BookSnapshot => ({
  eventId: randomUUID(),
  venue: 'binance',
  instrument: 'BTC/USDT',
  venueSymbol: 'BTCUSDT',
  sequence: 1,
  venueTimeMs: 1_700_000_000_123,
  receivedAtMs: 1_700_000_000_456,
  bids: [{ price: '63999.99', quantity: '0.5' }],
  asks: [{ price: '64000.10', quantity: '1.5' }],
});
const basic = ({ username, password }: Credentials) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

let secure: SecureKafka;
let registry: AuthenticatingFront;

/** The settings a worker of the secured deployment gets, with `overrides` (an empty value unsets). */
function settings(overrides: Record<string, string> = {}) {
  return resolveEndpoints({
    ...secure.settings,
    SCHEMA_REGISTRY_URL: registry.url,
    SCHEMA_REGISTRY_USERNAME: REGISTRY.username,
    SCHEMA_REGISTRY_PASSWORD: REGISTRY.password,
    ...overrides,
  });
}

/** The error a bus with these settings meets when it first talks to the broker. */
async function startFailure(overrides: Record<string, string>, logger = quiet): Promise<Error> {
  const endpoints = settings(overrides);
  const bus = new KafkaBus({ brokers: endpoints.kafkaBrokers, clientId: 'security-test', logger, security: endpoints.kafkaSecurity });
  try {
    await bus.ensureTopics([books]);
  } catch (error) {
    return error as Error;
  } finally {
    await bus.close();
  }
  throw new Error('the broker accepted the client');
}

beforeAll(async () => {
  // Started, or reused when already up; the first start makes the certificates and users.
  secure = await startSecureKafka({ logger: quiet });
  registry = await authenticatingFront(resolveEndpoints({}).schemaRegistryUrl, REGISTRY);
}, 300_000);

afterAll(async () => {
  await registry?.close();
  await stopSecureKafka();
}, 60_000);

describe('Kafka over SASL/SCRAM and TLS (the secured local broker)', () => {
  it("serves a worker's message bus: publish and consume, the registry reached with basic auth", async () => {
    const messages = kafkaMessageBus(`security-test-${run}`, quiet, { endpoints: settings() });
    const received: string[] = [];
    try {
      await messages.prepare([books]);
      const consumer = await messages.subscribe({
        groupId: `security-test-${run}`,
        topics: [books],
        fromBeginning: true,
        handle: async (batch) => void received.push(...batch.map((message) => message.value.eventId)),
      });
      const sent = book();
      await messages.publish(books, [sent]);
      await waitFor('the record back over SASL_SSL', () => received.includes(sent.eventId), 60_000);
      await consumer.stop();
    } finally {
      await messages.bus.close();
    }
  });

  it('commits a transaction, whose markers the broker writes to itself over SASL_SSL', async () => {
    const endpoints = settings();
    const bus = new KafkaBus({ brokers: endpoints.kafkaBrokers, clientId: 'security-test-tx', logger: quiet, security: endpoints.kafkaSecurity });
    const topic = { name: 'test.security.transactions', partitions: 1, compacted: false };
    const marker = `committed-${run}`;
    const seen: ConsumedRecord[] = [];
    try {
      await bus.ensureTopics([topic]);
      const tx = await bus.transaction(`security-test-${run}`);
      await tx.publish([{ topic: topic.name, key: run, value: Buffer.from(marker) }]);
      await tx.commit();
      const consumer = await bus.consume({
        groupId: `security-test-tx-${run}`,
        topics: [topic.name],
        fromBeginning: true,
        handleBatch: async (batch) => void seen.push(...batch.records),
      });
      await waitFor('the committed record', () => seen.some((record) => record.value?.toString() === marker), 60_000);
      await consumer.stop();
    } finally {
      await bus.close();
    }
  });

  it('refuses a wrong password with one line naming the user, the mechanism and the broker', async () => {
    const error = await startFailure({ KAFKA_SASL_PASSWORD: WRONG_KAFKA_PASSWORD });
    expect(error).toBeInstanceOf(KafkaAccessError);
    expect(error.message).toBe('kafka: authentication failed for user "crossvenue" (SASL SCRAM-SHA-512) at 127.0.0.1:19094');
  });

  it('stops a worker given wrong credentials at start, with one line and a non-zero exit', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...secure.settings, KAFKA_SASL_PASSWORD: WRONG_KAFKA_PASSWORD, METRICS_PORT: '19599' };
    delete env.CROSSVENUE_CONFIG;
    delete env.CROSSVENUE_INSTANCE;
    const { code, stdout, stderr } = await runWorker('positions', env);
    expect(stderr.trim().split('\n')).toEqual(['crossvenue: kafka: authentication failed for user "crossvenue" (SASL SCRAM-SHA-512) at 127.0.0.1:19094']);
    expect(code).toBe(1);
    expect(stdout + stderr).not.toContain(WRONG_KAFKA_PASSWORD);
  });

  it('refuses a client that does not speak TLS', async () => {
    // kafkajs retries a closed connection (a broker may be restarting) before it gives up.
    const error = await startFailure({ KAFKA_TLS: 'false', KAFKA_TLS_CA_FILE: '' });
    expect(error.message).toBe('kafka: cannot connect to 127.0.0.1:19094: Closed connection (does the listener need KAFKA_TLS=true?)');
  }, 180_000);

  it('refuses a client without SASL, and a mechanism the broker does not offer', async () => {
    const anonymous = await startFailure({ KAFKA_SASL_MECHANISM: '', KAFKA_SASL_USERNAME: '', KAFKA_SASL_PASSWORD: '' });
    expect(anonymous.message).toBe('kafka: cannot connect to 127.0.0.1:19094: Closed connection (does the listener need KAFKA_SASL_*?)');
    const sha256 = await startFailure({ KAFKA_SASL_MECHANISM: 'scram-sha-256' });
    expect(sha256.message).toBe('kafka: the broker at 127.0.0.1:19094 does not offer SASL SCRAM-SHA-256 (KAFKA_SASL_MECHANISM)');
  }, 180_000);
});

describe('schema registry basic auth (the client side; Apicurio itself runs without auth)', () => {
  it("sends the credentials on every request, the codec's own and the registry client's", async () => {
    const from = registry.seen.length;
    const writer = new RegistryCodec(settings().schemaRegistryUrl, settings().registryAuth);
    await writer.register([books]);
    const bytes = await writer.encode(books, book());
    // A second codec has no schema cached: decoding asks the registry for the writer's schema by id.
    const reader = new RegistryCodec(settings().schemaRegistryUrl, settings().registryAuth);
    await expect(reader.decode(books, bytes)).resolves.toMatchObject({ instrument: 'BTC/USDT' });

    const requests = registry.seen.slice(from);
    expect(new Set(requests.map((r) => r.method))).toEqual(new Set(['PUT', 'GET', 'POST']));
    expect(requests.map((r) => r.path)).toContain('/apis/ccompat/v7/config/test.security.books-value');
    for (const r of requests) expect(r.authorization, `${r.method} ${r.path}`).toBe(basic(REGISTRY));
  });

  it('says when the registry refuses the credentials, or wants some', async () => {
    const wrong = new RegistryCodec(registry.url, { ...REGISTRY, password: 'not-the-password' });
    await expect(wrong.register([books])).rejects.toThrow(/failed with HTTP 401 \(the registry refused our credentials\)$/);
    const none = new RegistryCodec(registry.url);
    await expect(none.register([books])).rejects.toThrow(/failed with HTTP 401 \(the registry requires credentials\)$/);
  });
});

describe('ClickHouse with a user and password', () => {
  let clickhouse: PrivateClickhouse;
  beforeAll(async () => {
    clickhouse = await PrivateClickhouse.start([CLICKHOUSE]);
  }, 120_000);
  afterAll(() => clickhouse?.remove());

  it('is reached with the right password, and refused with one line naming the user for a wrong one', async () => {
    const endpoints = resolveEndpoints({ CLICKHOUSE_URL: clickhouse.url, CLICKHOUSE_USERNAME: CLICKHOUSE.username, CLICKHOUSE_PASSWORD: CLICKHOUSE.password });
    const client = createClient({ url: endpoints.clickhouseUrl, ...endpoints.clickhouseAuth });
    try {
      const rows = await (await client.query({ query: 'SELECT 1 AS one', format: 'JSONEachRow' })).json<{ one: number }>();
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await client.close();
    }
    await expect(applyClickHouseSchema(endpoints.clickhouseUrl, endpoints.clickhouseAuth)).resolves.not.toHaveLength(0);

    const refused = await applyClickHouseSchema(clickhouse.url, { ...CLICKHOUSE, password: 'not-the-password' }).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toMatch(/^clickhouse schema \S+\.sql: Code: 193, .*Wrong password for user crossvenue/);
    expect((refused as Error).message).not.toContain('\n');
  });
});

describe('secrets in logs', () => {
  it('never writes a password, also when every login fails and the errors are logged', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('security-test', { destination, level: 'trace' });
    const wrongRegistry = { ...REGISTRY, password: `wrong-registry-pw-${run}` };
    const wrongClickhouse = { ...CLICKHOUSE, password: `wrong-clickhouse-pw-${run}` };
    const endpoints = settings({
      KAFKA_SASL_PASSWORD: WRONG_KAFKA_PASSWORD,
      SCHEMA_REGISTRY_PASSWORD: wrongRegistry.password,
      CLICKHOUSE_USERNAME: wrongClickhouse.username,
      CLICKHOUSE_PASSWORD: wrongClickhouse.password,
    });
    logger.info({ endpoints, env: { ...secure.settings } }, 'starting with these settings');

    const kafka = await startFailure({ KAFKA_SASL_PASSWORD: WRONG_KAFKA_PASSWORD }, logger);
    logger.error({ err: kafka }, 'kafka refused us');
    const registryRefusal = await new RegistryCodec(endpoints.schemaRegistryUrl, endpoints.registryAuth).register([books]).catch((error: Error) => error);
    logger.error({ err: registryRefusal }, 'the registry refused us');
    const server = await PrivateClickhouse.start([CLICKHOUSE]);
    try {
      const clickhouseRefusal = await applyClickHouseSchema(server.url, endpoints.clickhouseAuth).catch((error: Error) => error);
      logger.error({ err: clickhouseRefusal }, 'clickhouse refused us');
    } finally {
      await server.remove();
    }

    const text = lines.join('');
    expect(text).toContain('authentication failed for user');
    expect(text).toContain('HTTP 401');
    expect(text).toContain('Wrong password');
    const secrets = [secure.settings.KAFKA_SASL_PASSWORD, WRONG_KAFKA_PASSWORD, wrongRegistry.password, wrongClickhouse.password];
    for (const secret of secrets) expect(text).not.toContain(secret);
    // Nor in the form a header carries it.
    expect(text).not.toContain(basic(wrongRegistry).slice('Basic '.length));
  });
});

interface AuthenticatingFront {
  /** The registry's base URL, through the front. */
  url: string;
  seen: Array<{ method: string; path: string; authorization: string | undefined }>;
  close: () => Promise<void>;
}

/**
 * Stands in front of the real registry as an HTTP endpoint that requires basic auth: a request
 * without the right Authorization header gets 401, the others are forwarded (without the header).
 */
async function authenticatingFront(registryUrl: string, credentials: Credentials): Promise<AuthenticatingFront> {
  const upstream = new URL(registryUrl);
  const seen: AuthenticatingFront['seen'] = [];
  const server = createServer((incoming, answer) => {
    seen.push({ method: incoming.method ?? '', path: incoming.url ?? '', authorization: incoming.headers.authorization });
    if (incoming.headers.authorization !== basic(credentials)) {
      incoming.resume();
      answer.writeHead(401, { 'www-authenticate': 'Basic realm="registry"', 'content-type': 'application/json' });
      answer.end('{"error_code":401,"message":"Unauthorized"}');
      return;
    }
    const { authorization: _authorization, host: _host, ...headers } = incoming.headers;
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers }, (reply) => {
      answer.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(answer);
    });
    forwarded.on('error', (error) => answer.writeHead(502).end(error.message));
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function runWorker(worker: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'worker', worker], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
