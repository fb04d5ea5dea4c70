import { join, resolve } from 'node:path';
import { LOCAL_STACK } from '@crossvenue/runtime/process';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeErrors, composeLintFindings } from './composeSchema.ts';
import { COMPOSE_DIR, knownWorkers, planOf, readYaml, secretFiles, secretVariables, type PlannedProcess } from './deployFiles.ts';

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string | number>;
  env_file?: string[];
  configs?: Array<{ source: string; target: string }>;
  secrets?: Array<{ source: string; target: string }>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  network_mode?: string;
  ports?: string[];
}
interface ComposeFile {
  services: Record<string, Service>;
  configs: Record<string, { file: string }>;
  secrets: Record<string, { file: string }>;
}

const COMPOSE_FILE = join(COMPOSE_DIR, 'docker-compose.yml');
const CONFIG_FILE = join(COMPOSE_DIR, 'crossvenue.yaml');
const CONFIG_PATH = '/etc/crossvenue/crossvenue.yaml';
const compose = readYaml(COMPOSE_FILE) as ComposeFile;
const services = Object.entries(compose.services);
/** The services that run `crossvenue worker <name>`; the others are the stack (Kafka, registry, ClickHouse). */
const workerServices = services.filter(([, service]) => service.command?.[0] === 'worker');
const stackServices = services.filter(([, service]) => service.command?.[0] !== 'worker');

let plan: PlannedProcess[];
let workers: string[];
beforeAll(async () => {
  [plan, workers] = await Promise.all([planOf(CONFIG_FILE), knownWorkers()]);
}, 120_000);

/** The planned process a service runs (by its CROSSVENUE_INSTANCE). */
const processOf = (service: Service) => plan.find((process) => process.id === service.environment?.CROSSVENUE_INSTANCE);

describe('the compose file validated offline', () => {
  it('is valid against the Compose Specification', () => {
    expect(composeErrors(compose)).toEqual([]);
  });

  it('passes dclint: a concrete tag on every image, published ports bound to an interface, none twice', () => {
    expect(composeLintFindings(COMPOSE_FILE)).toEqual([]);
  });

  it('fails on a misspelled key, naming the service and the key', () => {
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    const router = broken.services.router!;
    router.healtcheck = router.healthcheck;
    delete router.healthcheck;
    expect(composeErrors(broken)).toEqual(['/services/router: unknown key "healtcheck"']);
  });

  it('runs the official Kafka (KRaft), Apicurio Registry and ClickHouse images at pinned versions', () => {
    expect(compose.services.kafka?.image).toMatch(/^apache\/kafka:3\.9\.\d+$/);
    expect(compose.services.kafka?.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services['schema-registry']?.image).toMatch(/^apicurio\/apicurio-registry:3\.0\.\d+$/);
    expect(compose.services.clickhouse?.image).toMatch(/^clickhouse\/clickhouse-server:\d+\.\d+$/);
  });
});

describe('the compose file agrees with the config it mounts', () => {
  it('mounts infra/deploy/compose/crossvenue.yaml at CROSSVENUE_CONFIG in every worker', () => {
    expect(resolve(COMPOSE_DIR, compose.configs.crossvenue!.file)).toBe(CONFIG_FILE);
    for (const [name, service] of workerServices) {
      expect(service.environment?.CROSSVENUE_CONFIG, name).toBe(CONFIG_PATH);
      expect(service.configs, name).toContainEqual({ source: 'crossvenue', target: CONFIG_PATH });
    }
  });

  it('runs one service per process of the plan, each `worker <name>` of a worker the CLI knows', () => {
    expect(workerServices.map(([, service]) => service.environment?.CROSSVENUE_INSTANCE).sort()).toEqual(plan.map((process) => process.id).sort());
    for (const [name, service] of workerServices) {
      const process = processOf(service)!;
      expect(service.command, name).toEqual(['worker', process.worker]);
      expect(workers, name).toContain(process.worker);
    }
  });

  it("health-checks each worker on /healthz at the METRICS_PORT its plan assigns", () => {
    for (const [name, service] of workerServices) {
      const port = processOf(service)!.env.METRICS_PORT;
      expect(service.healthcheck?.test.join(' '), name).toContain(`http://127.0.0.1:${port}/healthz`);
    }
  });

  it('starts each worker once the stack services it uses are healthy, and health-checks those', () => {
    for (const [name, service] of stackServices) expect(service.healthcheck?.test, name).toBeDefined();
    for (const [name, service] of workerServices) {
      const needs = ['kafka', 'schema-registry'];
      if (processOf(service)!.env.CLICKHOUSE_URL) needs.push('clickhouse');
      const shared = /^service:(.+)$/.exec(service.network_mode ?? '')?.[1];
      if (shared) needs.push(shared);
      for (const dependency of needs) expect(service.depends_on?.[dependency], `${name} on ${dependency}`).toEqual({ condition: 'service_healthy' });
    }
  });

  it("names the stack's services as its endpoints", () => {
    for (const process of plan) {
      const hosts = [
        ...process.env.KAFKA_BROKERS!.split(',').map((broker) => broker.split(':')[0]),
        new URL(process.env.SCHEMA_REGISTRY_URL!).hostname,
        ...(process.env.CLICKHOUSE_URL ? [new URL(process.env.CLICKHOUSE_URL).hostname] : []),
      ];
      for (const host of hosts) expect(stackServices.map(([name]) => name), `${process.id}: ${host}`).toContain(host);
      // The user the ClickHouse container creates is the one the audit sink logs in as.
      if (process.env.CLICKHOUSE_USERNAME) expect(compose.services.clickhouse?.environment?.CLICKHOUSE_USER, process.id).toBe(process.env.CLICKHOUSE_USERNAME);
    }
  });

  it("puts a connector whose venue is on loopback in the simulated venues' network namespace", () => {
    for (const [name, service] of workerServices) {
      const url = processOf(service)!.env.VENUE_REST_URL;
      if (url && new URL(url).hostname === '127.0.0.1') expect(service.network_mode, name).toBe('service:simulated-venue');
    }
  });

  it('mounts each secrets file a process reads, only in that process, from a file outside the image', () => {
    for (const [name, service] of workerServices) {
      const mounted = (service.secrets ?? []).map((secret) => `/run/secrets/${secret.target}`).sort();
      expect(mounted, name).toEqual(secretFiles(processOf(service)!));
      for (const secret of service.secrets ?? []) expect(compose.secrets[secret.source]?.file, `${name}: ${secret.source}`).toBeDefined();
    }
  });

  it('sets nothing in a worker\'s environment but the config and the instance: a variable would override the config', () => {
    for (const [name, service] of workerServices) expect(Object.keys(service.environment ?? {}).sort(), name).toEqual(['CROSSVENUE_CONFIG', 'CROSSVENUE_INSTANCE']);
  });

  it('gives the secrets a process takes from the environment through env files under secrets/, never inline', () => {
    for (const [name, service] of workerServices) {
      const files = service.env_file ?? [];
      expect(files.length > 0, `${name} reads ${secretVariables(processOf(service)!).join(', ') || 'no variable'}`).toBe(secretVariables(processOf(service)!).length > 0);
      for (const file of files) expect(file, name).toMatch(/^secrets\//);
    }
    for (const [name, service] of services) {
      const inline = Object.keys(service.environment ?? {}).filter((key) => /PASSWORD|SECRET|API_KEY/.test(key));
      expect(inline, name).toEqual([]);
    }
  });

  it("publishes on the host's loopback only: the gateway at its GATEWAY_PORT, the stack at the local stack's ports", () => {
    const gateway = plan.find((process) => process.worker === 'gateway')!;
    const published = services.flatMap(([name, service]) => (service.ports ?? []).map((port) => `${name} ${port}`));
    expect(published.sort()).toEqual([
      `clickhouse 127.0.0.1:${LOCAL_STACK.clickhouseHttpPort}:8123`,
      `gateway 127.0.0.1:${gateway.env.GATEWAY_PORT}:${gateway.env.GATEWAY_PORT}`,
      `kafka 127.0.0.1:${LOCAL_STACK.kafkaPort}:${LOCAL_STACK.kafkaPort}`,
      `schema-registry 127.0.0.1:${LOCAL_STACK.registryPort}:8080`,
    ]);
  });
});
