import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_STACK, type Credentials } from '@crossvenue/runtime/process';
import { findExecutable } from './commands.ts';
import { StackError } from './errors.ts';
import type { Health } from './health.ts';
import { httpGet } from './net.ts';
import type { StackPaths } from './paths.ts';
import { CLICKHOUSE_SERVER } from './prerequisites.ts';
import type { LaunchSpec } from './processes.ts';
import type { ServiceDefinition } from './service.ts';

export interface ClickhouseLayout {
  /** Holds data/, tmp/, user_files/ and format_schemas/. */
  dataDir: string;
  logFile: string;
  errorLogFile: string;
  /** The local stack's ports unless given (tests run private servers on others). */
  httpPort?: number;
  tcpPort?: number;
  /** Users who log in with a password, beside the passwordless `default`. */
  users?: Credentials[];
}

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A self-contained server configuration (users inline, no /etc/clickhouse-server) that works on the
 * Debian 18.16 package and on current releases: loopback only, everything inside the stack folder,
 * caches sized for a small development machine.
 */
export function renderClickhouseConfig({
  dataDir,
  logFile,
  errorLogFile,
  httpPort = LOCAL_STACK.clickhouseHttpPort,
  tcpPort = LOCAL_STACK.clickhouseTcpPort,
  users = [],
}: ClickhouseLayout): string {
  // ClickHouse joins these paths with file names, so they must end with a slash.
  const folder = (name: string) => escapeXml(`${join(dataDir, name)}/`);
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>information</level>
    <log>${escapeXml(logFile)}</log>
    <errorlog>${escapeXml(errorLogFile)}</errorlog>
    <size>100M</size>
    <count>2</count>
  </logger>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>100</max_concurrent_queries>
  <uncompressed_cache_size>104857600</uncompressed_cache_size>
  <mark_cache_size>104857600</mark_cache_size>
  <path>${folder('data')}</path>
  <tmp_path>${folder('tmp')}</tmp_path>
  <user_files_path>${folder('user_files')}</user_files_path>
  <format_schema_path>${folder('format_schemas')}</format_schema_path>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
${users.map(renderUser).join('')}  </users>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <quotas><default></default></quotas>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
</yandex>
`;
}

/** A user element; the config holds the password's SHA-256 only (supported since long before 18.16). */
function renderUser({ username, password }: Credentials): string {
  // The name is an XML element name in this format.
  if (!/^[A-Za-z_][\w-]*$/.test(username)) throw new Error(`clickhouse user name "${username}": letters, digits, _ and - only`);
  const hash = createHash('sha256').update(password).digest('hex');
  return `    <${username}>
      <password_sha256_hex>${hash}</password_sha256_hex>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </${username}>
`;
}

/** Healthy when the HTTP interface answers its ping. */
export async function checkClickhouse(clickhouseUrl: string): Promise<Health> {
  const { status, body } = await httpGet(`${clickhouseUrl}/ping`, 3_000);
  const healthy = status === 200 && body.trim() === 'Ok.';
  return { healthy, detail: healthy ? 'answers /ping' : `GET /ping answered ${status}` };
}

/**
 * User `crossvenue` of the local server, for clients that log in (CLICKHOUSE_USERNAME/_PASSWORD):
 * its password is made once and kept, by setting name, in `crossvenue.json` (mode 0600) beside the data.
 */
function localUser(dataDir: string): Credentials {
  const file = join(dataDir, 'crossvenue.json');
  if (!existsSync(file)) {
    const settings = { CLICKHOUSE_USERNAME: 'crossvenue', CLICKHOUSE_PASSWORD: randomBytes(24).toString('base64url') };
    writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  }
  const { CLICKHOUSE_USERNAME, CLICKHOUSE_PASSWORD } = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  return { username: CLICKHOUSE_USERNAME!, password: CLICKHOUSE_PASSWORD! };
}

async function prepareClickhouse(paths: StackPaths): Promise<LaunchSpec> {
  const server = await findExecutable('clickhouse-server');
  if (!server) throw new StackError('clickhouse', 'prerequisite missing: clickhouse-server not found');
  const conf = paths.conf('clickhouse');
  const dataDir = paths.data('clickhouse');
  mkdirSync(conf, { recursive: true });
  mkdirSync(dataDir, { recursive: true });
  // The server keeps a preprocessed copy next to its config file, so the config has a folder of its own.
  const configFile = join(conf, 'config.xml');
  const logFile = paths.log('clickhouse');
  const users = [localUser(dataDir)];
  writeFileSync(configFile, renderClickhouseConfig({ dataDir, logFile, errorLogFile: logFile.replace(/\.log$/, '.err.log'), users }));
  return { command: server, args: [`--config-file=${configFile}`], cwd: dataDir };
}

export const clickhouseService: ServiceDefinition = {
  name: 'clickhouse',
  envVar: 'CLICKHOUSE_URL',
  endpoint: (endpoints) => endpoints.clickhouseUrl,
  ports: [LOCAL_STACK.clickhouseHttpPort, LOCAL_STACK.clickhouseTcpPort],
  prerequisites: [CLICKHOUSE_SERVER],
  healthTimeoutMs: 60_000,
  check: checkClickhouse,
  prepare: prepareClickhouse,
};
