import { describe, expect, it } from 'vitest';
import { registryJavaArgs } from './registry.ts';

describe('schema registry launch', () => {
  const args = registryJavaArgs('/stack/data/schema-registry', '/stack/lib/schema-registry/app-runner.jar');

  it('binds the registry port on loopback only', () => {
    expect(args).toContain('-Dquarkus.http.port=18081');
    expect(args).toContain('-Dquarkus.http.host=127.0.0.1');
  });

  it('keeps schemas in a file database in the stack folder, so ids survive a restart', () => {
    expect(args).toContain('-Dapicurio.datasource.url=jdbc:h2:file:/stack/data/schema-registry/registry');
    expect(args.slice(-2)).toEqual(['-jar', '/stack/lib/schema-registry/app-runner.jar']);
  });
});
