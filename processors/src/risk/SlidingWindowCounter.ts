/**
 * Counts events per key over the last `windowMs` (a sliding window, not fixed buckets, so a burst
 * across a bucket edge cannot double the allowed rate). Time comes from the caller's clock.
 */
export class SlidingWindowCounter {
  private readonly times = new Map<string, number[]>();

  constructor(private readonly windowMs: number) {}

  count(key: string, nowMs: number): number {
    const times = this.times.get(key);
    if (!times) return 0;
    while (times.length > 0 && times[0]! <= nowMs - this.windowMs) times.shift();
    return times.length;
  }

  record(key: string, nowMs: number): void {
    let times = this.times.get(key);
    if (!times) this.times.set(key, (times = []));
    // Kept in time order: an event recorded late (an adopted order after a restart) goes where it belongs.
    let at = times.length;
    while (at > 0 && times[at - 1]! > nowMs) at--;
    times.splice(at, 0, nowMs);
  }
}
