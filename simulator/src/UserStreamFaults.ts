import type { Faults } from './Faults.ts';
import type { StreamSocket } from './StreamSocket.ts';

/**
 * How long a held-back fill waits for a next message before it goes out anyway: on a stream where
 * the fill is the only message of a trade (an OKX `orders` push carries the order and its fill),
 * nothing may follow it, and a reordered fill is late, never lost.
 */
const HOLD_AT_MOST_MS = 50;

/**
 * Sends user-stream messages through the fill faults: a fill sent twice (duplicateFills), held
 * back until after the next message (reorderFills), as a venue's at-least-once stream can, or never
 * sent at all (loseFills).
 */
export class UserStreamSender {
  private held: unknown[] = [];
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: StreamSocket,
    private readonly faults: Faults,
  ) {}

  send(message: unknown, isFill: boolean): void {
    if (isFill && this.faults.takeLostFill()) return;
    if (isFill && this.faults.current.reorderFills && this.held.length === 0) {
      this.held.push(message);
      this.holdTimer = setTimeout(() => this.release(), HOLD_AT_MOST_MS);
      this.holdTimer.unref();
      return;
    }
    if (isFill) this.sendFill(message);
    else this.socket.send(message);
    this.release();
  }

  private release(): void {
    clearTimeout(this.holdTimer);
    for (const late of this.held.splice(0)) this.sendFill(late);
  }

  private sendFill(message: unknown): void {
    this.socket.send(message);
    if (this.faults.current.duplicateFills) this.socket.send(message);
  }
}
