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
  /** From its latest PAUSE or RESUME; null before either, when it runs as its configuration started it. */
  paused: boolean | null;
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
  private readonly followers = new Map<string, Omit<FollowerSummary, 'instruments'> & { instruments: Map<string, FollowerInstrument> }>();

  /** False for a decision already read (the synchronizer decides a redelivered leader event again, under the same event id). */
  apply(decision: SyncDecision): boolean {
    if (this.decisions.has(decision.eventId)) return false;
    this.decisions.set(decision.eventId, decision);
    const { follower, leaderVenue, leaderAccount, portfolio, venue, account, kind, decidedAtMs } = decision;
    const known = this.followers.get(follower);
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
      paused: kind === 'PAUSE' ? true : kind === 'RESUME' ? false : (known?.paused ?? null),
      counts,
      instruments,
    });
    return true;
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
      .map((summary) => ({ ...summary, counts: { ...summary.counts }, instruments: [...summary.instruments.values()].sort((a, b) => a.instrument.localeCompare(b.instrument)) }))
      .sort((a, b) => a.follower.localeCompare(b.follower));
  }
}
