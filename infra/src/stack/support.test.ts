import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureLine } from './commands.ts';
import { redactUrl } from './net.ts';
import { REPO_ROOT, stackPaths } from './paths.ts';
import { parseJavaMajorVersion } from './prerequisites.ts';
import { formatDuration } from './time.ts';

describe('stack paths', () => {
  it('live in <repo>/.stack by default', () => {
    const paths = stackPaths({});
    expect(paths.root).toBe(join(REPO_ROOT, '.stack'));
    expect(paths.log('kafka')).toBe(join(REPO_ROOT, '.stack', 'logs', 'kafka.log'));
  });

  it('move to CROSSVENUE_STACK_DIR when it is set', () => {
    const paths = stackPaths({ CROSSVENUE_STACK_DIR: '/tmp/elsewhere' });
    expect(paths.data('clickhouse')).toBe('/tmp/elsewhere/data/clickhouse');
    expect(paths.pidFile('schema-registry')).toBe('/tmp/elsewhere/run/schema-registry.pid');
    expect(paths.lib('kafka')).toBe('/tmp/elsewhere/lib/kafka');
    expect(paths.conf('kafka')).toBe('/tmp/elsewhere/conf/kafka');
  });
});

describe('parseJavaMajorVersion', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15', 17],
    ['java version "1.8.0_292"', 8],
    ['openjdk version "21" 2023-09-19', 21],
    ['bash: java: command not found', 0],
  ])('reads %s as %i', (output, major) => {
    expect(parseJavaMajorVersion(output)).toBe(major);
  });
});

describe('failureLine', () => {
  it('picks the first Maven error line, without colour codes', () => {
    const output = '\u001b[0m[INFO] x\n[ERROR] Failed to execute goal: no network\n[ERROR] Re-run Maven with -e\n';
    expect(failureLine(output)).toBe('[ERROR] Failed to execute goal: no network');
  });

  it('falls back to the last line', () => {
    expect(failureLine('starting\nError: bad flag\n\n')).toBe('Error: bad flag');
  });
});

describe('redactUrl', () => {
  it('hides a password and leaves other URLs alone', () => {
    expect(redactUrl('https://app:s3cret@registry.example.com/apis/ccompat/v7')).toBe(
      'https://app:redacted@registry.example.com/apis/ccompat/v7',
    );
    expect(redactUrl('http://127.0.0.1:18123')).toBe('http://127.0.0.1:18123');
    expect(redactUrl('127.0.0.1:19092,127.0.0.1:19094')).toBe('127.0.0.1:19092,127.0.0.1:19094');
  });
});

describe('formatDuration', () => {
  it('says seconds from one second on', () => {
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(8_234)).toBe('8.2s');
    expect(formatDuration(250)).toBe('250ms');
  });
});
