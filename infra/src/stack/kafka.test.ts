import { describe, expect, it } from 'vitest';
import { renderLog4jProperties, renderServerProperties } from './kafka.ts';

const properties = (text: string) =>
  new Map(text.split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));

describe('Kafka configuration', () => {
  it('runs one combined broker and controller on the loopback ports of the local stack', () => {
    const config = properties(renderServerProperties('/stack/data/kafka'));
    expect(config.get('process.roles')).toBe('broker,controller');
    expect(config.get('node.id')).toBe('1');
    expect(config.get('controller.quorum.voters')).toBe('1@127.0.0.1:19093');
    expect(config.get('listeners')).toBe('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    expect(config.get('advertised.listeners')).toBe('PLAINTEXT://127.0.0.1:19092');
    expect(config.get('controller.listener.names')).toBe('CONTROLLER');
    expect(config.get('listener.security.protocol.map')).toBe('PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT');
    expect(config.get('log.dirs')).toBe('/stack/data/kafka');
  });

  it('suits a single node and never creates topics that are not in the catalogue', () => {
    const config = properties(renderServerProperties('/d'));
    expect(config.get('offsets.topic.replication.factor')).toBe('1');
    expect(config.get('transaction.state.log.replication.factor')).toBe('1');
    expect(config.get('transaction.state.log.min.isr')).toBe('1');
    expect(config.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(config.get('auto.create.topics.enable')).toBe('false');
  });

  it('logs to the given file only', () => {
    const config = properties(renderLog4jProperties('/stack/logs/kafka.log'));
    expect(config.get('log4j.rootLogger')).toBe('INFO, file');
    expect(config.get('log4j.appender.file.File')).toBe('/stack/logs/kafka.log');
    expect([...config.values()].join(' ')).not.toContain('ConsoleAppender');
  });
});
