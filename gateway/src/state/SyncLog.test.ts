import { TOPICS, type SyncDecision } from '@crossvenue/schemas';
import { EXAMPLES } from '@crossvenue/schemas/testing';
import { describe, expect, it } from 'vitest';
import { SyncLog } from './SyncLog.ts';

const example = EXAMPLES.find((e) => e.schema === TOPICS.syncDecisions.schema)!.value as SyncDecision;
const none = { side: null, quantity: null, limitPrice: null, targetQuantity: null, actualQuantity: null, residualQuantity: null, intentId: null };

function decision(number: number, follower: string, kind: SyncDecision['kind'], fields: Partial<SyncDecision> = {}): SyncDecision {
  return { ...example, ...none, eventId: `sync:${follower}:${number}`, follower, kind, decidedAtMs: 1_000 + number, ...fields };
}

describe('SyncLog', () => {
  it('keeps the last 500 decisions, newest first, by follower and kind', () => {
    const log = new SyncLog();
    for (let number = 1; number <= 501; number++) log.apply(decision(number, number % 2 === 0 ? 'even' : 'odd', number % 3 === 0 ? 'SKIP' : 'MIRROR'));
    const all = log.recent(1000);
    expect([all.length, all[0]!.eventId, all.at(-1)!.eventId]).toEqual([500, 'sync:odd:501', 'sync:even:2']);
    expect(log.recent(3, { follower: 'even' }).map(({ eventId }) => eventId)).toEqual(['sync:even:500', 'sync:even:498', 'sync:even:496']);
    expect(log.recent(2, { follower: 'odd', kind: 'SKIP' }).map(({ eventId }) => eventId)).toEqual(['sync:odd:501', 'sync:odd:495']);
    expect(log.recent(5, { follower: 'nobody' })).toEqual([]);
  });

  it('reads a decision made again for a redelivered leader event once', () => {
    const log = new SyncLog();
    expect(log.apply(decision(1, 'copy', 'MIRROR'))).toBe(true);
    expect(log.apply(decision(1, 'copy', 'MIRROR'))).toBe(false);
    expect([log.recent(10).length, log.summaries()[0]!.counts.MIRROR]).toEqual([1, 1]);
  });

  it('says a follower is paused from its latest PAUSE or RESUME, and unknown before either', () => {
    const log = new SyncLog();
    const paused = () => log.summaries().map(({ follower, paused }) => `${follower} ${paused}`);
    log.apply(decision(1, 'copy', 'MIRROR'));
    log.apply(decision(2, 'other', 'MIRROR'));
    expect(paused()).toEqual(['copy null', 'other null']);
    log.apply(decision(3, 'copy', 'PAUSE'));
    log.apply(decision(4, 'copy', 'SKIP', { reason: 'paused: kept as residual' }));
    expect(paused()).toEqual(['copy true', 'other null']);
    log.apply(decision(5, 'copy', 'RESUME'));
    log.apply(decision(6, 'copy', 'CORRECTION'));
    expect(paused()).toEqual(['copy false', 'other null']);
  });

  it('shows the configuration of the latest CONFIGURE, its paused until a command says otherwise, a refusal changing nothing, and a removal', () => {
    const log = new SyncLog();
    const configured = (paused: boolean, ratio: string) => JSON.stringify({ name: 'copy', paused, sizing: { mode: 'ratio', ratio } });
    log.apply(decision(1, 'copy', 'CONFIGURE', { configuration: configured(true, '0.1') }));
    const summary = () => log.summaries()[0]!;
    expect([summary().paused, summary().configuration, summary().removed]).toEqual([true, { name: 'copy', paused: true, sizing: { mode: 'ratio', ratio: '0.1' } }, false]);
    log.apply(decision(2, 'copy', 'RESUME'));
    log.apply(decision(3, 'copy', 'CONFIGURE', { configuration: configured(true, '0.2') }));
    log.apply(decision(4, 'copy', 'REFUSE', { venue: '', reason: 'refused: follower.sizing.ratio: must be positive' }));
    expect([summary().paused, summary().configuration?.sizing, summary().venue, summary().counts.REFUSE, summary().lastKind]).toEqual([false, { mode: 'ratio', ratio: '0.2' }, example.venue, 1, 'REFUSE']);
    log.apply(decision(5, 'copy', 'REMOVE'));
    expect([summary().configuration, summary().removed, log.configurationOf('copy')]).toEqual([null, true, null]);
  });

  it('counts each kind and keeps the pause of a quiet follower when a busy one pushes its decisions out', () => {
    const log = new SyncLog();
    log.apply(decision(0, 'quiet', 'PAUSE'));
    for (let number = 1; number <= 600; number++) log.apply(decision(number, 'busy', number % 4 === 0 ? 'SKIP' : 'MIRROR'));
    const [busy, quiet] = log.summaries();
    expect(log.recent(500, { follower: 'quiet' })).toEqual([]);
    expect([quiet!.paused, quiet!.counts.PAUSE, quiet!.lastDecisionAtMs]).toEqual([true, 1, 1_000]);
    expect([busy!.counts.MIRROR, busy!.counts.SKIP, busy!.counts.CORRECTION, busy!.lastKind, busy!.lastDecisionAtMs]).toEqual([450, 150, 0, 'SKIP', 1_600]);
  });

  it('gives each follower instrument its latest target, actual and residual, each from the latest decision carrying it', () => {
    const log = new SyncLog();
    log.apply(decision(1, 'copy', 'SKIP', { instrument: 'BTC/USDT:USDT', targetQuantity: '0.0004', actualQuantity: '0', residualQuantity: '0.0004' }));
    log.apply(decision(2, 'copy', 'RESIDUAL_TRADE', { instrument: 'BTC/USDT:USDT', targetQuantity: '0.0012', actualQuantity: '0', residualQuantity: '0' }));
    log.apply(decision(3, 'copy', 'MIRROR', { instrument: 'ETH/USDT:USDT', targetQuantity: '0.5', actualQuantity: '0.2', residualQuantity: '0' }));
    // A correction says the target and the position, not the residual; a pause or an orphan cancel says none.
    log.apply(decision(4, 'copy', 'CORRECTION', { instrument: 'BTC/USDT:USDT', targetQuantity: '0.0012', actualQuantity: '0.0009' }));
    log.apply(decision(5, 'copy', 'PAUSE', { instrument: 'SOL/USDT:USDT' }));
    log.apply(decision(6, 'copy', 'ORPHAN_CANCEL', { instrument: 'ETH/USDT:USDT' }));
    expect(log.summaries()[0]!.instruments).toEqual([
      { instrument: 'BTC/USDT:USDT', targetQuantity: '0.0012', actualQuantity: '0.0009', residualQuantity: '0', updatedAtMs: 1_004 },
      { instrument: 'ETH/USDT:USDT', targetQuantity: '0.5', actualQuantity: '0.2', residualQuantity: '0', updatedAtMs: 1_003 },
    ]);
  });
});
