import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS, TOPICS } from '@crossvenue/schemas';
import { beforeAll, describe, expect, it } from 'vitest';
import { K8S_DIR, knownWorkers, planOf, readYaml, secretFiles, secretVariables, yamlDocuments, type PlannedProcess } from './deployFiles.ts';
import { kubernetesErrors } from './kubernetesSchemas.ts';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: EnvVar[];
  envFrom?: unknown[];
  ports?: Array<{ name?: string; containerPort: number }>;
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: Array<{ name: string; mountPath: string }>;
}
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: {
    replicas?: number;
    strategy?: { type: string };
    template?: { spec: { enableServiceLinks?: boolean; containers: Container[]; volumes?: Array<{ name: string; configMap?: { name: string } }> } };
    ports?: Array<{ port: number; targetPort: string | number }>;
    selector?: Record<string, string>;
  };
  stringData?: Record<string, string>;
}
interface Kustomization {
  resources: string[];
  configMapGenerator: Array<{ name: string; files: string[] }>;
}

const CONFIG_DIR = '/etc/crossvenue';
const SECRET = 'crossvenue-secrets';
const kustomization = readYaml(join(K8S_DIR, 'kustomization.yaml')) as Kustomization;
const configMap = kustomization.configMapGenerator.find((generator) => generator.name === 'crossvenue-config')!;
/** Everything kubectl applies, and the example Secret, which is validated as well though not applied. */
const manifests = yamlDocuments(K8S_DIR).filter(({ file }) => kustomization.resources.includes(file) || file.endsWith('.example.yaml'));
const deployments = manifests.map(({ document }) => document as Manifest).filter((manifest) => manifest.kind === 'Deployment');
const containerOf = (deployment: Manifest) => deployment.spec!.template!.spec.containers[0]!;
const envOf = (deployment: Manifest, name: string) => containerOf(deployment).env?.find((variable) => variable.name === name);

let plan: PlannedProcess[];
let workers: string[];
beforeAll(async () => {
  [plan, workers] = await Promise.all([planOf(join(K8S_DIR, configMap.files[0]!)), knownWorkers()]);
}, 120_000);

const processOf = (deployment: Manifest) => plan.find((process) => process.id === envOf(deployment, 'CROSSVENUE_INSTANCE')?.value)!;

/**
 * The instances of a worker that can share its work: one per partition of the input its replicas
 * divide through one consumer group. The others run one instance until issue 14 (the comments in
 * their manifests say why).
 */
const MAX_REPLICAS: Record<string, number> = {
  router: TOPICS.intents.partitions,
  positions: TOPICS.fills.partitions,
  reconciler: TOPICS.venueSnapshots.partitions,
  'audit-sink': Math.max(...ALL_TOPICS.map((topic) => topic.partitions)),
};

/**
 * Workers of which two instances must never run at once, not even during an update: a connector
 * (two sessions on one account), execution (one holds every portfolio's risk state; a second
 * would send orders beside it).
 */
const ONE_AT_A_TIME = ['ccxt-connector', 'execution'];

describe('the Kubernetes manifests validated offline', () => {
  it('apply every manifest of the folder through kustomization.yaml, and name only files that exist', () => {
    const generated = kustomization.configMapGenerator.flatMap((generator) => generator.files);
    for (const file of [...kustomization.resources, ...generated]) expect(existsSync(join(K8S_DIR, file)), file).toBe(true);
    const yamlFiles = readdirSync(K8S_DIR).filter((file) => file.endsWith('.yaml'));
    const accounted = new Set(['kustomization.yaml', ...kustomization.resources, ...generated]);
    expect(yamlFiles.filter((file) => !accounted.has(file) && !file.endsWith('.example.yaml'))).toEqual([]);
  });

  it.each(manifests.map(({ file, document }) => [`${file}: ${(document as Manifest).kind} ${(document as Manifest).metadata?.name}`, document]))(
    '%s is valid against the Kubernetes schema of its kind',
    (_, document) => {
      expect(kubernetesErrors(document)).toEqual([]);
    },
  );

  it('fails on a broken manifest, naming each field', () => {
    const router = deployments.find((deployment) => deployment.metadata.name === 'router')!;
    const badQuantity = structuredClone(router);
    containerOf(badQuantity).resources!.limits!.memory = '512 MB';
    expect(kubernetesErrors(badQuantity)).toEqual([
      '/spec/template/spec/containers/0/resources/limits/memory must be number',
      '/spec/template/spec/containers/0/resources/limits/memory must match format "quantity"',
    ]);
    const broken = structuredClone(router) as unknown as { spec: { replicas: unknown; template: { spec: Record<string, unknown> } } };
    broken.spec.replicas = 'three';
    broken.spec.template.spec.container = broken.spec.template.spec.containers;
    delete broken.spec.template.spec.containers;
    expect(kubernetesErrors(broken)).toEqual(['/spec/replicas must be integer', '/spec/template/spec must have required property containers']);
    expect(kubernetesErrors({ apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } })).toEqual([
      'no schema for apiVersion apps/v1, kind Deploymnet (add the kind to test/deploy/kubernetesSchemas.ts)',
    ]);
  });
});

describe('the Kubernetes manifests agree with the config they mount', () => {
  it('run one Deployment per process of the plan, as `worker <name>` of a worker the CLI knows', () => {
    expect(deployments.map((deployment) => envOf(deployment, 'CROSSVENUE_INSTANCE')?.value).sort()).toEqual(plan.map((process) => process.id).sort());
    for (const deployment of deployments) {
      const process = processOf(deployment);
      expect(deployment.metadata.name).toBe(process.id);
      expect(containerOf(deployment).args, process.id).toEqual(['worker', process.worker]);
      expect(workers, process.id).toContain(process.worker);
    }
  });

  it('mount the config as the generated ConfigMap at CROSSVENUE_CONFIG, and set nothing that would override it', () => {
    for (const deployment of deployments) {
      const { name } = deployment.metadata;
      const { spec } = deployment.spec!.template!;
      const volume = spec.volumes?.find((candidate) => candidate.configMap?.name === configMap.name);
      expect(volume, name).toBeDefined();
      expect(containerOf(deployment).volumeMounts, name).toContainEqual({ name: volume!.name, mountPath: CONFIG_DIR, readOnly: true });
      expect(envOf(deployment, 'CROSSVENUE_CONFIG')?.value, name).toBe(`${CONFIG_DIR}/${configMap.files[0]}`);
      // Every variable in the environment overrides the config: only the two that select it,
      // METRICS_HOST where the config leaves it out, and secrets; no envFrom, and no Service links
      // (GATEWAY_PORT=tcp://… from a Service named gateway).
      const plain = (containerOf(deployment).env ?? []).filter((variable) => !variable.valueFrom).map((variable) => variable.name);
      const own = processOf(deployment).env.METRICS_HOST === undefined ? ['METRICS_HOST'] : [];
      expect(plain.sort(), name).toEqual(['CROSSVENUE_CONFIG', 'CROSSVENUE_INSTANCE', ...own]);
      expect(containerOf(deployment).envFrom, name).toBeUndefined();
      expect(spec.enableServiceLinks, name).toBe(false);
    }
  });

  it('probe /healthz (startup, liveness) and /readyz (readiness) on the METRICS_PORT the plan assigns, served beyond loopback', () => {
    for (const deployment of deployments) {
      const container = containerOf(deployment);
      const port = Number(processOf(deployment).env.METRICS_PORT);
      expect(envOf(deployment, 'METRICS_HOST')?.value ?? processOf(deployment).env.METRICS_HOST, deployment.metadata.name).toBe('0.0.0.0');
      expect(container.ports, deployment.metadata.name).toContainEqual({ name: 'metrics', containerPort: port });
      for (const [probe, path] of [['startupProbe', '/healthz'], ['livenessProbe', '/healthz'], ['readinessProbe', '/readyz']] as const) {
        expect(container[probe]?.httpGet, `${deployment.metadata.name} ${probe}`).toEqual({ path, port: 'metrics' });
      }
    }
  });

  it("run no more replicas than the worker's input partitions, one of the others, replaced rather than rolled where two must not overlap", () => {
    for (const deployment of deployments) {
      const { worker } = processOf(deployment);
      const replicas = deployment.spec!.replicas!;
      expect(replicas, deployment.metadata.name).toBeGreaterThanOrEqual(1);
      expect(replicas, deployment.metadata.name).toBeLessThanOrEqual(MAX_REPLICAS[worker] ?? 1);
      expect(deployment.spec!.strategy?.type, deployment.metadata.name).toBe(ONE_AT_A_TIME.includes(worker) ? 'Recreate' : undefined);
    }
  });

  it('take exactly the secrets each process names from the crossvenue-secrets Secret, which the example lists', () => {
    const example = manifests.map(({ document }) => document as Manifest).find((manifest) => manifest.kind === 'Secret' && manifest.metadata.name === SECRET);
    for (const deployment of deployments) {
      const process = processOf(deployment);
      // Secrets files would need a Secret volume; this config names its secrets by variable.
      expect(secretFiles(process), process.id).toEqual([]);
      const fromSecret = (containerOf(deployment).env ?? []).filter((variable) => variable.valueFrom);
      expect(fromSecret.map((variable) => variable.name).sort(), process.id).toEqual(secretVariables(process));
      for (const variable of fromSecret) {
        expect(variable.valueFrom, process.id).toEqual({ secretKeyRef: { name: SECRET, key: variable.name } });
        expect(Object.keys(example?.stringData ?? {}), process.id).toContain(variable.name);
      }
    }
  });

  it('give every pod requests and limits, a read-only root filesystem and no privilege escalation', () => {
    for (const deployment of deployments) {
      const container = containerOf(deployment);
      for (const kind of ['requests', 'limits'] as const) expect(Object.keys(container.resources?.[kind] ?? {}).sort(), `${deployment.metadata.name} ${kind}`).toEqual(['cpu', 'memory']);
      expect(container.securityContext, deployment.metadata.name).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    }
  });

  it('put a Service in front of the gateway, to its GATEWAY_PORT', () => {
    const gateway = deployments.find((deployment) => processOf(deployment).worker === 'gateway')!;
    const service = manifests.map(({ document }) => document as Manifest).find((manifest) => manifest.kind === 'Service')!;
    const port = Number(processOf(gateway).env.GATEWAY_PORT);
    const target = service.spec!.ports![0]!.targetPort;
    expect(containerOf(gateway).ports?.find((candidate) => candidate.name === target)?.containerPort).toBe(port);
    expect(service.spec!.selector).toEqual({ 'app.kubernetes.io/name': 'crossvenue', 'app.kubernetes.io/instance': gateway.metadata.name });
  });
});
