import { resolveEndpoints } from '@crossvenue/runtime/process';
import { describe, expect, it } from 'vitest';
import { httpGet } from './net.ts';
import { stackStatus } from './stack.ts';

describe('the local stack', () => {
  const endpoints = resolveEndpoints();

  it('reports Kafka, the schema registry and ClickHouse healthy', async () => {
    const status = await stackStatus();
    expect(status.services.map((s) => [s.name, s.healthy])).toEqual([
      ['kafka', true],
      ['schema-registry', true],
      ['clickhouse', true],
    ]);
    expect(status.healthy).toBe(true);
  });

  it('serves the Confluent-compatible registry API', async () => {
    const { status, body } = await httpGet(`${endpoints.schemaRegistryUrl}/subjects`, 5_000);
    expect(status).toBe(200);
    expect(Array.isArray(JSON.parse(body))).toBe(true);
  });

  it('answers SQL over the ClickHouse HTTP interface', async () => {
    const { status, body } = await httpGet(`${endpoints.clickhouseUrl}/?query=${encodeURIComponent('SELECT 1')}`, 5_000);
    expect(status).toBe(200);
    expect(body.trim()).toBe('1');
  });
});
