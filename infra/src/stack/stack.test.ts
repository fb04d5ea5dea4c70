import { describe, expect, it } from 'vitest';
import { stackStatus } from './stack.ts';

// Port 9 (discard) on loopback: nothing listens there, so every check fails at once.
const nowhere = {
  KAFKA_BROKERS: '127.0.0.1:9',
  SCHEMA_REGISTRY_URL: 'http://user:pw@127.0.0.1:9/apis/ccompat/v7',
  CLICKHOUSE_URL: 'http://127.0.0.1:9',
  CROSSVENUE_STACK_DIR: '/tmp/crossvenue-stack-unit-test-unused',
};

describe('stackStatus', () => {
  it('reports services named by environment variables as external, unhealthy and without a log', async () => {
    const status = await stackStatus({ env: nowhere });
    expect(status.healthy).toBe(false);
    expect(status.services.map((s) => s.name)).toEqual(['kafka', 'schema-registry', 'clickhouse']);
    for (const service of status.services) {
      expect(service.healthy).toBe(false);
      expect(service.log).toBe('');
      expect(service.pid).toBeUndefined();
      expect(service.detail).toMatch(/^external \((KAFKA_BROKERS|SCHEMA_REGISTRY_URL|CLICKHOUSE_URL)\): /);
    }
  });

  it('never shows a password from an endpoint', async () => {
    const status = await stackStatus({ env: nowhere });
    expect(JSON.stringify(status)).not.toContain(':pw@');
  });
});
