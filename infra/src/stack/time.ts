import { setTimeout as delay } from 'node:timers/promises';

export const sleep = (ms: number): Promise<void> => delay(ms);

/** "90s", "8.2s", "250ms": how long something took or may take, for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${Number((ms / 1000).toFixed(1))}s`;
}
