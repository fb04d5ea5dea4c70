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
  private lastDeliveryAt = 0;

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
    if (delay <= 0 && this.lastDeliveryAt <= Date.now()) {
      this.socket.send(text);
      return;
    }
    this.lastDeliveryAt = Math.max(this.lastDeliveryAt, Date.now() + delay);
    setTimeout(() => this.isOpen && this.socket.send(text), this.lastDeliveryAt - Date.now());
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
