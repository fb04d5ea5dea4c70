import { createLogger } from '@crossvenue/runtime';
import type { WebSocket } from 'ws';
import type { Faults } from './Faults.ts';

const logger = createLogger('simulated-venue');

/**
 * A venue's side of one WebSocket connection. Every message goes through the venue's faults:
 * added latency (in order: a message never overtakes an earlier one) and a drop after N messages.
 */
export class StreamSocket {
  private sent = 0;
  /**
   * Messages waiting out their latency, in the order they were sent, each with the time it is due
   * (never before the one ahead of it). One timer drains the head: a timer per message would let a
   * later, shorter one fire first, and a Bybit FILLED overtaken by its PARTIALLY_FILLED left the
   * client's order cache on the older state.
   */
  private readonly delayed: Array<{ text: string; dueAt: number }> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly faults: Faults,
  ) {}

  get isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  send(message: unknown): void {
    this.sendText(JSON.stringify(message));
  }

  /** A frame as it is, not JSON: OKX answers its text "ping" with a bare "pong". */
  sendText(text: string): void {
    if (!this.isOpen) return;
    const every = this.faults.current.dropEveryMessages;
    if (every !== undefined && every > 0 && this.sent >= every) {
      this.drop();
      return;
    }
    this.sent++;
    const delay = this.faults.delayMs();
    if (delay <= 0 && this.delayed.length === 0) {
      this.socket.send(text);
      return;
    }
    this.delayed.push({ text, dueAt: Math.max(this.delayed.at(-1)?.dueAt ?? 0, Date.now() + delay) });
    this.armTimer();
  }

  private armTimer(): void {
    const head = this.delayed[0];
    if (this.timer || !head) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.deliverDue();
    }, Math.max(0, head.dueAt - Date.now()));
  }

  private deliverDue(): void {
    const now = Date.now();
    while (this.delayed[0] && this.delayed[0].dueAt <= now) {
      const { text } = this.delayed.shift()!;
      if (this.isOpen) this.socket.send(text);
    }
    this.armTimer();
  }

  onMessage(handle: (text: string) => void): void {
    this.socket.on('message', (data: Buffer) => {
      try {
        handle(data.toString('utf8'));
      } catch (error) {
        // A simulator bug must not take the venue down: the client sees its connection drop.
        logger.error({ err: error }, 'simulated venue failed to handle a WebSocket message');
        this.drop();
      }
    });
  }

  onClose(handle: () => void): void {
    this.socket.on('close', handle);
  }

  /** An abrupt drop, as a network failure looks to the client (no close frame). */
  drop(): void {
    this.socket.terminate();
  }
}
