import type { OutgoingRecord } from './Bus.ts';

interface Queued {
  records: OutgoingRecord[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Publishes with one send in flight at a time, in the order publish was called; a send takes
 * everything queued while the one before it was under way.
 *
 * One at a time because kafkajs' idempotent producer assigns sequence numbers when a request is
 * built, so two sends racing to a partition (a worker's batch handler and its book-marks consumer,
 * say, or a dead letter) can reach the broker out of sequence and fail with
 * OUT_OF_ORDER_SEQUENCE_NUMBER (tulios/kafkajs#598). Taking the queue whole because publishes that
 * meet a send under way then go out as one request, not one each: every request costs the broker
 * and this process a round of socket writes (13% of the router's time at 1,000 intents/s in
 * execution.bench.ts' profile was the socket write alone).
 *
 * A send that fails rejects every publish it carried and every publish queued behind it at that
 * moment, so a failure never lets a later publish through ahead of an earlier one; each caller
 * decides whether to publish again (a worker's batch handler fails, and its batch is handed in
 * again).
 */
export class SerialSender {
  private queue: Queued[] = [];
  private sending = false;

  constructor(private readonly send: (records: OutgoingRecord[]) => Promise<void>) {}

  publish(records: OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      if (!this.sending) void this.sendQueued();
    });
  }

  private async sendQueued(): Promise<void> {
    this.sending = true;
    while (this.queue.length > 0) {
      const taken = this.queue;
      this.queue = [];
      try {
        await this.send(taken.flatMap(({ records }) => records));
        for (const { resolve } of taken) resolve();
      } catch (error) {
        for (const { reject } of [...taken, ...this.queue.splice(0)]) reject(error);
      }
    }
    this.sending = false;
  }
}
