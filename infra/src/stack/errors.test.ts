import { describe, expect, it } from 'vitest';
import { StackError } from './errors.ts';

describe('StackError', () => {
  it('names the service, the reason and the log file in one line', () => {
    const error = new StackError('kafka', 'did not become healthy within 90s', '/repo/.stack/logs/kafka.log');
    expect(error.message).toBe('kafka: did not become healthy within 90s (see /repo/.stack/logs/kafka.log)');
    expect(error.name).toBe('StackError');
    expect(error).toBeInstanceOf(Error);
  });

  it('leaves out the log when there is none to read', () => {
    const error = new StackError('clickhouse', 'prerequisite missing: apt-get not found; install clickhouse-server 18.16+ yourself or set CLICKHOUSE_URL');
    expect(error.message).toBe(
      'clickhouse: prerequisite missing: apt-get not found; install clickhouse-server 18.16+ yourself or set CLICKHOUSE_URL',
    );
  });

  it('folds a multi-line reason (a tool output) into one line', () => {
    const error = new StackError('schema-registry', 'Maven failed:\n  [ERROR] no network\n', '/x.log');
    expect(error.message).not.toContain('\n');
    expect(error.reason).toBe('Maven failed: [ERROR] no network');
  });
});
