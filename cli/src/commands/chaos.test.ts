import { describe, expect, it } from 'vitest';
import { chaosCommand } from './chaos.ts';

/** Refusals come before the run (which would start a whole pipeline first). */
describe('crossvenue chaos arguments', () => {
  it('refuses a soak whose load has fewer steps than it has faults', async () => {
    await expect(chaosCommand(['--soak', '--scenarios', 'clock-skew,clickhouse-down,poison-records', '--rate', '1', '--seconds', '2'])).rejects.toThrow(
      '--soak: a load of 2 steps (--rate x --seconds) has no room for 3 faults, one after another',
    );
  });

  it('refuses a scenario it does not have, naming the ones it has', async () => {
    await expect(chaosCommand(['--scenarios', 'broker-crash'])).rejects.toThrow(/^--scenarios: unknown scenario "broker-crash"; known: kill-execution, .*broker-restart, registry-restart, .*clickhouse-down, poison-records$/);
  });
});
