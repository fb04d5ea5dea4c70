import { describe, expect, it } from 'vitest';
import { consumerLag } from './probes.ts';

describe('consumer lag from a metrics page', () => {
  it('sums every partition of every topic, and nothing else', () => {
    const page = [
      '# HELP crossvenue_consumer_lag Records behind the partition end',
      '# TYPE crossvenue_consumer_lag gauge',
      'crossvenue_consumer_lag{topic="exec.intents",partition="0",worker="router"} 3',
      'crossvenue_consumer_lag{topic="exec.intents",partition="1",worker="router"} 0',
      'crossvenue_consumer_lag{topic="md.book-snapshots",partition="2",worker="router"} 12',
      'crossvenue_consumer_lag_other 99',
      'crossvenue_records_in_total{topic="exec.intents",worker="router"} 7',
    ].join('\n');
    expect(consumerLag(page)).toBe(15);
  });

  it('is null for a worker that consumes nothing', () => {
    expect(consumerLag('# TYPE crossvenue_consumer_lag gauge\ncrossvenue_records_out_total 4\n')).toBeNull();
  });
});
