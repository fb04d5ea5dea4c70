import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseArgs, UsageError } from '../args.ts';
import { chaosHtmlReport } from '../chaos/htmlReport.ts';
import { runChaos, type ScenarioResult } from '../chaos/ChaosRun.ts';
import { pickScenarios, SCENARIOS } from '../chaos/scenarios.ts';

export const HELP = `usage: crossvenue chaos [--scenarios a,b] [--rate R] [--seconds S] [--seed N] [--soak] [--json] [--html FILE]

Proves the invariants under failure: starts the simulated example's pipeline as separate processes
(crossvenue up, its own ports and run folder) on the local Kafka and registry, with simulated
venues and a ClickHouse server of the run's own (a second account on sim-binance-a beside the demo
accounts), and for each scenario drives a seeded load of intents through the gateway (market
orders, IOC limits, GTC limits that rest, amends, cancels; every other one pinned to the second
account), injects the scenario's fault mid-stream, waits for the state to converge, and judges the
run from evidence: the simulated venues' own order and trade lists per account, the Kafka topics
and the ClickHouse audit log. Exits 1 if any invariant broke.

  --scenarios a,b   which scenarios, in order (default: all): ${SCENARIOS.map(({ name }) => name).join(', ')}
  --rate R          intents a second in each scenario (default 2)
  --seconds S       how long each scenario's load runs (default 10)
  --seed N          the load and the fault's moment (default 1): the same seed, the same run
  --soak            one load of --seconds instead of one per scenario, with the scenarios' faults
                    in it one after another, each at a random time (from the seed) of its share of
                    the load; judged once at the end (e.g. --soak --seconds 1800)
  --json            one JSON line per scenario instead of the table
  --html FILE       also write a report page: the verdicts, recovery times, and each scenario's
                    position drift per venue over the seconds after its fault

Faults: kill -9 of each worker (its restart by the supervisor), of the execution, positions and
reconciler workers again while their restarts restore their state, a venue outage, dropped venue
sockets, order acks that never arrive, duplicated and reordered fills, fills the venue never
streams, book sequence gaps, rate-limit bursts, venue clocks seconds ahead and behind (the
simulated venues' own fault injection), a restart of the Kafka broker and of the schema registry
(each down for 10 s), ClickHouse down for 30 s, and bad records on every topic. The run has a
Kafka broker, a schema registry and a ClickHouse server of its own (free loopback ports, a
temporary folder, removed at the end), so no other pipeline is disturbed.

Per scenario: intents sent and accounted for (the router answered them), venue orders, duplicate
client order ids, venue orders no intent asked for, venue trades missing from exec.fills, fills no
venue lists, venue trades published more than once, position drift per venue account after recovery, fills
missing from the audit log, bad records not dead-lettered, dead letters with their reasons, orders
still in flight, and the time from the end of the fault until every invariant held with no order in
flight (a scenario that does not get there within 3 minutes fails).`;

/** `crossvenue chaos`: the fault matrix on the running pipeline, judged from evidence. */
export async function chaosCommand(argv: string[]): Promise<number> {
  const { positionals, options, flags } = parseArgs(argv, { valued: ['scenarios', 'rate', 'seconds', 'seed', 'html'], flags: ['json', 'soak'] });
  if (positionals.length > 0) throw new UsageError(`chaos takes no arguments, got "${positionals[0]}"`);
  const number = (name: string, fallback: number, integer: boolean) => {
    const raw = options.get(name);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw new UsageError(`--${name}: expected a positive ${integer ? 'whole number' : 'number'}, got "${raw}"`);
    return value;
  };
  let scenarios;
  try {
    scenarios = pickScenarios(options.get('scenarios'));
  } catch (error) {
    throw new UsageError(`--scenarios: ${(error as Error).message}`);
  }
  const json = flags.has('json');
  const seed = number('seed', 1, true);
  const html = options.get('html');
  // Refused before the run, not after ten minutes of it.
  if (html !== undefined && !existsSync(dirname(resolve(html)))) throw new UsageError(`--html: no folder ${dirname(resolve(html))} to write ${html} in`);
  const [rate, seconds, soak] = [number('rate', 2, false), number('seconds', 10, false), flags.has('soak')];
  const steps = Math.max(1, Math.round(rate * seconds));
  if (soak && steps < scenarios.length) throw new UsageError(`--soak: a load of ${steps} steps (--rate x --seconds) has no room for ${scenarios.length} faults, one after another`);
  const results = await runChaos({
    scenarios,
    rate,
    seconds,
    seed,
    soak,
    // Progress on stderr, so that --json's stdout is the JSON lines alone.
    log: (line) => console.error(`chaos: ${line}`),
  });
  if (json) for (const result of results) console.log(JSON.stringify(result));
  else printTable(results);
  if (html !== undefined) {
    await writeFile(html, chaosHtmlReport(results, `Chaos: ${results.length} scenarios, seed ${seed}`));
    console.error(`chaos: wrote the report page to ${resolve(html)}`);
  }
  const broken = results.filter(({ broken: what }) => what.length > 0);
  console.error(`chaos: ${results.length} scenarios, ${broken.length === 0 ? 'every invariant held' : `invariants broken in ${broken.map(({ scenario }) => scenario).join(', ')}`}`);
  return broken.length === 0 ? 0 : 1;
}

function printTable(results: readonly ScenarioResult[]): void {
  console.table(
    results.map(({ scenario, findings: f, deadLetters, ordersInFlight, recoveryMs, broken }) => ({
      scenario,
      'intents sent/accounted': `${f.intentsSent}/${f.intentsAccounted}`,
      'venue orders': f.venueOrders,
      duplicates: f.duplicateOrders.length,
      'without intent': f.ordersWithoutIntent.length,
      'lost fills': f.lostFills.length,
      'unknown fills': f.fillsNoVenueLists.length,
      republished: f.republishedFills.length,
      'drifted positions': Object.keys(f.positionDrift).length,
      'audit missing': f.auditMissing.length,
      'not dead-lettered': f.notDeadLettered.length,
      'dead letters': deadLetters.length,
      'in flight': ordersInFlight.length,
      'recovery s': recoveryMs === null ? 'not converged' : (recoveryMs / 1000).toFixed(1),
      result: broken.length === 0 ? 'ok' : 'BROKEN',
    })),
  );
  for (const { scenario, broken, deadLetters } of results) {
    for (const line of broken) console.log(`${scenario}: ${line}`);
    for (const { topic, reason } of deadLetters) console.log(`${scenario}: dead letter on ${topic}: ${reason}`);
  }
}
