import { heldBackText } from './alertText.ts';

const MINUTE_MS = 60_000;

/**
 * At most `perMinute` messages to one channel per minute, counted in fixed one-minute windows
 * from the window's first message. What the limit holds back is counted by kind; the first
 * message of the next window is a summary of it, so a flood becomes one line, not silence.
 */
export class RateLimit {
  private windowStartMs: number | null = null;
  private sent = 0;
  private readonly held = new Map<string, number>();
  private heldSinceMs = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number,
  ) {}

  /**
   * Whether a message of `kind` may go now. Call `lifted` first: a summary of what was held back
   * goes before anything new.
   */
  admit(kind: string): boolean {
    const nowMs = this.now();
    this.roll(nowMs);
    if (this.sent < this.perMinute) {
      this.take(nowMs);
      return true;
    }
    if (this.held.size === 0) this.heldSinceMs = nowMs;
    this.held.set(kind, (this.held.get(kind) ?? 0) + 1);
    return false;
  }

  /** Once a new window has begun after alerts were held back: the summary to send (it counts as a message). */
  lifted(): string | null {
    const nowMs = this.now();
    this.roll(nowMs);
    if (this.held.size === 0 || this.sent >= this.perMinute) return null;
    const summary = heldBackText(this.held, this.heldSinceMs, nowMs);
    this.held.clear();
    this.take(nowMs);
    return summary;
  }

  private roll(nowMs: number): void {
    if (this.windowStartMs === null || nowMs - this.windowStartMs < MINUTE_MS) return;
    this.windowStartMs = null;
    this.sent = 0;
  }

  private take(nowMs: number): void {
    this.windowStartMs ??= nowMs;
    this.sent += 1;
  }
}
