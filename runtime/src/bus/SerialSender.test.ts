import { describe, expect, it } from 'vitest';
import type { OutgoingRecord } from './Bus.ts';
import { SerialSender } from './SerialSender.ts';

const record = (key: string): OutgoingRecord => ({ topic: 't', key, value: null });
const keys = (records: OutgoingRecord[]) => records.map(({ key }) => key);

/** A send the test completes by hand, so that it decides what is in flight when. */
function manualSend() {
  const sends: Array<{ records: OutgoingRecord[]; done: (error?: Error) => void }> = [];
  const send = (records: OutgoingRecord[]) => new Promise<void>((resolve, reject) => sends.push({ records, done: (error) => (error ? reject(error) : resolve()) }));
  return { sends, send };
}

describe('SerialSender', () => {
  it('keeps one send in flight, and sends everything queued meanwhile as the next one, in call order', async () => {
    const { sends, send } = manualSend();
    const sender = new SerialSender(send);
    const first = sender.publish([record('a')]);
    const second = sender.publish([record('b'), record('c')]);
    const third = sender.publish([record('d')]);
    expect(sends.map(({ records }) => keys(records))).toEqual([['a']]);
    sends[0]!.done();
    await first;
    await Promise.resolve();
    expect(sends.map(({ records }) => keys(records))).toEqual([['a'], ['b', 'c', 'd']]);
    let settled = false;
    void second.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    sends[1]!.done();
    await Promise.all([second, third]);
  });

  it('rejects the publishes a failed send carried and those queued behind it, never sending a later one ahead of them', async () => {
    const { sends, send } = manualSend();
    const sender = new SerialSender(send);
    const failed = sender.publish([record('a')]);
    const behind = sender.publish([record('b')]);
    sends[0]!.done(new Error('broker refused'));
    await expect(failed).rejects.toThrow('broker refused');
    await expect(behind).rejects.toThrow('broker refused');
    expect(sends).toHaveLength(1);
    const after = sender.publish([record('c')]);
    expect(keys(sends[1]!.records)).toEqual(['c']);
    sends[1]!.done();
    await after;
  });

  it('sends nothing for an empty publish', async () => {
    const { sends, send } = manualSend();
    await new SerialSender(send).publish([]);
    expect(sends).toEqual([]);
  });
});
