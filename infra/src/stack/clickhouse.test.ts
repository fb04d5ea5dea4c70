import { describe, expect, it } from 'vitest';
import { renderClickhouseConfig } from './clickhouse.ts';

const layout = { dataDir: '/stack/data/clickhouse', logFile: '/stack/logs/clickhouse.log', errorLogFile: '/stack/logs/clickhouse.err.log' };
const element = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];

describe('ClickHouse configuration', () => {
  const xml = renderClickhouseConfig(layout);

  it('listens on loopback only, on the ports of the local stack', () => {
    expect(element(xml, 'listen_host')).toBe('127.0.0.1');
    expect(element(xml, 'http_port')).toBe('18123');
    expect(element(xml, 'tcp_port')).toBe('19000');
  });

  it('keeps data and logs inside the stack folder, folder paths ending with a slash', () => {
    expect(element(xml, 'path')).toBe('/stack/data/clickhouse/data/');
    expect(element(xml, 'tmp_path')).toBe('/stack/data/clickhouse/tmp/');
    expect(element(xml, 'user_files_path')).toBe('/stack/data/clickhouse/user_files/');
    expect(element(xml, 'format_schema_path')).toBe('/stack/data/clickhouse/format_schemas/');
    expect(element(xml, 'log')).toBe('/stack/logs/clickhouse.log');
    expect(element(xml, 'errorlog')).toBe('/stack/logs/clickhouse.err.log');
  });

  it('is self-contained: a passwordless default user reachable from loopback only, in UTC', () => {
    expect(xml.startsWith('<?xml version="1.0"?>\n<yandex>')).toBe(true);
    expect(xml).toContain('<networks><ip>127.0.0.1</ip><ip>::1</ip></networks>');
    expect(element(xml, 'default_profile')).toBe('default');
    expect(element(xml, 'timezone')).toBe('UTC');
    expect(element(xml, 'mark_cache_size')).toBe('104857600');
  });

  it('defines users with a password by its SHA-256 only, reachable from loopback', () => {
    const withUser = renderClickhouseConfig({ ...layout, users: [{ username: 'crossvenue', password: 'secret-pw' }] });
    const user = /<crossvenue>([\s\S]*)<\/crossvenue>/.exec(withUser)?.[1] ?? '';
    // printf secret-pw | sha256sum
    expect(element(user, 'password_sha256_hex')).toBe('ccddf9fd8eef87a7c43b4d6f164bfc52c6b531d611296ec91a31fd32b306bfaa');
    expect(user).toContain('<networks><ip>127.0.0.1</ip><ip>::1</ip></networks>');
    expect(withUser).not.toContain('secret-pw');
    expect(() => renderClickhouseConfig({ ...layout, users: [{ username: 'a b', password: 'x' }] })).toThrow('clickhouse user name "a b"');
  });

  it('escapes paths that contain XML characters', () => {
    const odd = renderClickhouseConfig({ ...layout, dataDir: '/tmp/a&b<c' });
    expect(element(odd, 'path')).toBe('/tmp/a&amp;b&lt;c/data/');
  });
});
