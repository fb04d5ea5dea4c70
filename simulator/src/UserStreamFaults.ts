import type { Faults } from './Faults.ts';
import type { StreamSocket } from './StreamSocket.ts';

/**
 * Sends user-stream messages through the fill faults: a fill sent twice (duplicateFills), held
 * back until after the next message (reorderFills), as a venue's at-least-once stream can, or never
 * sent at all (loseFills).
 */
export class UserStreamSender {
  private held: unknown[] = [];

  constructor(
    private readonly socket: StreamSocket,
    private readonly faults: Faults,
  ) {}

  send(message: unknown, isFill: boolean): void {
    if (isFill && this.faults.takeLostFill()) return;
    if (isFill && this.faults.current.reorderFills && this.held.length === 0) {
      this.held.push(message);
      return;
    }
    if (isFill) this.sendFill(message);
    else this.socket.send(message);
    for (const late of this.held.splice(0)) this.sendFill(late);
  }

  private sendFill(message: unknown): void {
    this.socket.send(message);
    if (this.faults.current.duplicateFills) this.socket.send(message);
  }
}
