import { SyncDecisionKindSchema, type SyncDecision, type SyncDecisionKind } from '@crossvenue/schemas';
import { RecentMap } from './RecentMap.ts';

/** The last 500 synchronizer decisions: older ones are in the audit log (ClickHouse `crossvenue.sync_decisions`). */
const RECENT_DECISIONS = 500;

/** The quantities a decision may carry about its follower instrument. */
const QUANTITIES = ['targetQuantity', 'actualQuantity', 'residualQuantity'] as const;

/** A follower instrument's latest quantities, each from the latest decision that carried it. */
export type FollowerInstrument = { instrument: string; updatedAtMs: number } & Record<(typeof QUANTITIES)[number], string | null>;

export interface FollowerSummary {
  follower: string;
  leaderVenue: string;
  leaderAccount: string;
  portfolio: string;
  venue: string;
  account: string;
  lastDecisionAtMs: number;
  lastKind: SyncDecisionKind;
  /** From its latest PAUSE or RESUME (a command wins over the configuration), else its configuration's `paused`; null when neither is known. */
  paused: boolean | null;
  /**
   * The configuration it runs, in the config file's `followers:` entry shape, from its latest
   * CONFIGURE (the config file's at each synchronizer start, or a control command); null before
   * one was read, and after a REMOVE.
   */
  configuration: Record<string, unknown> | null;
  /** True after a REMOVE, until a CONFIGURE adds it again. */
  removed: boolean;
  /** Decisions of each kind the gateway has read (sync.decisions from its retention on). */
  counts: Record<SyncDecisionKind, number>;
  instruments: FollowerInstrument[];
}

/**
 * The synchronizer's decisions as the gateway shows them: the recent ones, newest first, and per
 * follower what a desk checks at a glance. The per-follower part is kept for every decision read,
 * not only the recent ones, so a quiet follower's pause is not pushed out by a busy one. A
 * reporting view; the synchronizer never reads it.
 */
export class SyncLog {
  private readonly decisions = new RecentMap<string, SyncDecision>(RECENT_DECISIONS);
  private readonly followers = new Map<string, Omit<FollowerSummary, 'instruments' | 'paused'> & { instruments: Map<string, FollowerInstrument>; pausedByCommand: boolean | null }>();

  /** False for a decision already read (the synchronizer decides a redelivered leader event again, under the same event id). */
  apply(decision: SyncDecision): boolean {
    if (this.decisions.has(decision.eventId)) return false;
    this.decisions.set(decision.eventId, decision);
    const { follower, leaderVenue, leaderAccount, portfolio, venue, account, kind, decidedAtMs } = decision;
    const known = this.followers.get(follower);
    // A refused configuration changed nothing: it is counted, and the follower is shown as it runs.
    if (kind === 'REFUSE' && known) {
      known.counts.REFUSE += 1;
      known.lastDecisionAtMs = Math.max(decidedAtMs, known.lastDecisionAtMs);
      known.lastKind = kind;
      return true;
    }
    const counts = known?.counts ?? (Object.fromEntries(SyncDecisionKindSchema.symbols.map((each) => [each, 0])) as Record<SyncDecisionKind, number>);
    counts[kind] += 1;
    const instruments = known?.instruments ?? new Map<string, FollowerInstrument>();
    if (QUANTITIES.some((name) => decision[name] !== null)) {
      const before = instruments.get(decision.instrument);
      const latest = (name: (typeof QUANTITIES)[number]) => decision[name] ?? before?.[name] ?? null;
      instruments.set(decision.instrument, {
        instrument: decision.instrument,
        targetQuantity: latest('targetQuantity'),
        actualQuantity: latest('actualQuantity'),
        residualQuantity: latest('residualQuantity'),
        updatedAtMs: decidedAtMs,
      });
    }
    this.followers.set(follower, {
      follower,
      leaderVenue,
      leaderAccount,
      portfolio,
      venue,
      account,
      lastDecisionAtMs: Math.max(decidedAtMs, known?.lastDecisionAtMs ?? decidedAtMs),
      lastKind: kind,
      pausedByCommand: kind === 'PAUSE' ? true : kind === 'RESUME' ? false : (known?.pausedByCommand ?? null),
      configuration: kind === 'CONFIGURE' && decision.configuration !== null ? (JSON.parse(decision.configuration) as Record<string, unknown>) : kind === 'REMOVE' ? null : (known?.configuration ?? null),
      removed: kind === 'REMOVE' ? true : kind === 'CONFIGURE' ? false : (known?.removed ?? false),
      counts,
      instruments,
    });
    return true;
  }

  /** The configuration the follower runs, as its latest CONFIGURE said; null when none is known or it was removed. */
  configurationOf(follower: string): Record<string, unknown> | null {
    return this.followers.get(follower)?.configuration ?? null;
  }

  recent(limit: number, filter: { follower?: string; kind?: SyncDecisionKind } = {}): SyncDecision[] {
    return this.decisions
      .newestFirst()
      .filter((decision) => (filter.follower === undefined || decision.follower === filter.follower) && (filter.kind === undefined || decision.kind === filter.kind))
      .slice(0, limit);
  }

  /** Every follower that has a decision, by name, its instruments by name. */
  summaries(): FollowerSummary[] {
    return [...this.followers.values()]
      .map(({ pausedByCommand, ...summary }) => ({
        ...summary,
        paused: pausedByCommand ?? (typeof summary.configuration?.paused === 'boolean' ? summary.configuration.paused : null),
        counts: { ...summary.counts },
        instruments: [...summary.instruments.values()].sort((a, b) => a.instrument.localeCompare(b.instrument)),
      }))
      .sort((a, b) => a.follower.localeCompare(b.follower));
  }
}
