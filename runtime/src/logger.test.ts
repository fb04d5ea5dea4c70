import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger('connector-binance', { destination, level: 'info' }) };
}

describe('createLogger', () => {
  it('writes JSON lines carrying the component name', () => {
    const { lines, logger } = capture();
    logger.info({ venue: 'binance' }, 'connected');
    expect(JSON.parse(lines[0]!)).toMatchObject({ component: 'connector-binance', venue: 'binance', msg: 'connected' });
  });

  it('never writes venue credentials, wherever they sit in the logged object', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        apiKey: 'AK-top-level',
        credentials: { apiSecret: 'S-nested', passphrase: 'P-nested' },
        request: { headers: { 'x-mbx-apikey': 'AK-header', authorization: 'Bearer T' } },
      },
      'config loaded',
    );
    const text = lines.join('');
    for (const secret of ['AK-top-level', 'S-nested', 'P-nested', 'AK-header', 'Bearer T']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('never writes infrastructure passwords or venue credentials: endpoints three levels down, or an environment', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        endpoints: { kafkaSecurity: { sasl: { username: 'crossvenue', password: 'kafka-pw' } }, registryAuth: { password: 'registry-pw' } },
        env: { KAFKA_SASL_PASSWORD: 'env-kafka-pw', SCHEMA_REGISTRY_PASSWORD: 'env-registry-pw', CLICKHOUSE_PASSWORD: 'env-clickhouse-pw' },
        worker: { env: { VENUE_API_KEY: 'env-key', VENUE_API_SECRET: 'env-secret', VENUE_API_PASSPHRASE: 'env-passphrase', VENUE_PRIVATE_KEY: 'env-wallet-key' } },
        credentials: { passphrase: 'okx-passphrase', privateKey: 'hl-private-key' },
      },
      'settings',
    );
    const text = lines.join('');
    const secrets = ['kafka-pw', 'registry-pw', 'env-kafka-pw', 'env-registry-pw', 'env-clickhouse-pw', 'env-key', 'env-secret', 'env-passphrase', 'env-wallet-key', 'okx-passphrase', 'hl-private-key'];
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain('crossvenue');
  });
});
