import { UsageError } from '../args.ts';

/** `--replicas router=2,execution=3` as { router: 2, execution: 3 }; which workers exist is the plan's to check. */
export function parseReplicas(text: string | undefined): Record<string, number> {
  const replicas: Record<string, number> = {};
  if (text === undefined) return replicas;
  for (const pair of text.split(',')) {
    const match = /^([a-z0-9-]+)=([1-9]\d{0,2})$/.exec(pair.trim());
    if (!match) throw new UsageError(`--replicas: expected worker=N,… (N from 1 to 999), got "${pair}"`);
    if (match[1]! in replicas) throw new UsageError(`--replicas: ${match[1]} is given twice`);
    replicas[match[1]!] = Number(match[2]);
  }
  return replicas;
}
