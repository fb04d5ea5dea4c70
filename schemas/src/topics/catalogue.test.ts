import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../messages/examples.ts';
import { ALL_TOPICS, AUDITED_TOPICS, MARKET_PARTITIONS, TOPICS } from './catalogue.ts';
import type { TopicDefinition } from './TopicDefinition.ts';

describe('topic catalogue', () => {
  it('names every topic once and gives each its own dead-letter topic', () => {
    const names = ALL_TOPICS.map((topic) => topic.name);
    expect(new Set(names).size).toBe(names.length);
    for (const topic of ALL_TOPICS) expect(topic.deadLetter.name).toBe(`dlq.${topic.name}`);
  });

  it('co-partitions market data with intents: same key (instrument) and same partition count', () => {
    const marketAndIntents = [TOPICS.bookSnapshots, TOPICS.bookDeltas, TOPICS.trades, TOPICS.fundingRates, TOPICS.intents];
    for (const topic of marketAndIntents) expect(topic.partitions).toBe(MARKET_PARTITIONS);
    const btc = { instrument: 'BTC/USDT' } as never;
    expect(new Set(marketAndIntents.map((topic) => (topic as TopicDefinition).key(btc)))).toEqual(new Set(['BTC/USDT']));
  });

  it('keys execution records by portfolio and compacts only state, reference data and control', () => {
    for (const topic of [TOPICS.routeDecisions, TOPICS.orderCommands, TOPICS.orderEvents, TOPICS.fills, TOPICS.riskDecisions, TOPICS.intentStatus]) {
      expect((topic as TopicDefinition).key({ portfolio: 'desk-1' } as never)).toBe('desk-1');
    }
    const compacted = ALL_TOPICS.filter((topic) => topic.compacted).map((topic) => topic.name).sort();
    expect(compacted).toEqual(['control.commands', 'md.venue-health', 'ref.symbols', 'state.balances', 'state.positions', 'state.worker-snapshots']);
  });

  it('derives a key from a realistic message of every topic', () => {
    for (const topic of ALL_TOPICS) {
      const example = EXAMPLES.find((candidate) => candidate.schema === topic.schema);
      expect(example, `an example of ${topic.schema.name}`).toBeDefined();
      expect(topic.key(example!.value as never)).toMatch(/\S/);
    }
    const position = EXAMPLES.find((candidate) => candidate.schema === TOPICS.positions.schema)!.value as never;
    expect(TOPICS.positions.key(position)).toBe('pf-arb|acct-binance-1|binance|BTC/USDT');
  });

  it('keys the synchronizer\'s decisions by follower and audits them', () => {
    expect(TOPICS.syncDecisions.key({ follower: 'copy-small' } as never)).toBe('copy-small');
    expect(AUDITED_TOPICS).toContain(TOPICS.syncDecisions);
  });

  it('keys arbitrage groups by group id, so a group\'s open and close stay in order, and audits them', () => {
    expect(TOPICS.arbitrageGroups.key({ groupId: 'arb-spot-1a2b-7' } as never)).toBe('arb-spot-1a2b-7');
    expect(AUDITED_TOPICS).toContain(TOPICS.arbitrageGroups);
  });
});
