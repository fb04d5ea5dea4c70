import { UsageError } from './args.ts';

const USAGE = `usage: crossvenue <command> [options]      (crossvenue <command> --help for more)

  start                          embedded run: simulated venues, every worker in one process, the dashboard
  sim [--venues …] [--json]      simulated venues only (Binance and Bybit dialects, fault injection)
  stack up|down|status [--json]  the local Kafka, schema registry and ClickHouse
  worker <name>                  one worker against Kafka (crossvenue worker --help lists them)
  config check [F] [--json]      validate a config file (crossvenue.yaml) and print the processes it would run
  up [--config F] [--replicas worker=N,…]   the distributed pipeline on this machine, supervised, in the background
  ps [--json]                    the processes up started: status, pid, restarts, health, consumer lag
  logs [id-or-worker] [--follow] the run's logs, interleaved by time
  down                           stop everything up started
  supervise --config F           the supervisor up starts in the background (use up, ps, logs, down)
  topics [--json]                the topic catalogue
  route --books F --symbol S --side buy|sell --amount A [--json]   the router's plan for an order
  md replay <captures…> [--json] recorded venue books through the connectors' synchronizers
  md record --venue V --symbols S --out F [--seconds N]   record a venue's books (native adapters)
  backtest --data F… (--strategy M | --intents F) [--seed N] [--latency …] [--json] [--report R.html]   recorded markets through the real pipeline
  positions replay <fills.ndjson> [--quote CUR] [--json]          positions and PnL from a file of fills
  report [<name>] [--json]       audit trail and transaction-cost reports from ClickHouse
  audit ddl [--write]            the ClickHouse audit tables, generated from the topic schemas
  chaos [--scenarios a,b] [--rate R] [--seconds S] [--seed N] [--json]   faults injected into a running pipeline, judged from the venues' own lists`;

/** A command: what it prints for --help, and what it does. */
interface Command {
  help: string;
  run: (argv: string[]) => Promise<number>;
}

/**
 * Commands load on demand: `stack up` does not load Kafka clients or the router, and a command
 * that fails to load cannot take the others down with it.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: () => import('./commands/start.ts').then((m) => ({ help: m.HELP, run: m.startCommand })),
  sim: () => import('./commands/sim.ts').then((m) => ({ help: m.HELP, run: m.simCommand })),
  stack: () => import('./commands/stack.ts').then((m) => ({ help: m.HELP, run: m.stackCommand })),
  worker: () => import('./commands/worker.ts').then((m) => ({ help: m.HELP, run: m.workerCommand })),
  config: () => import('./commands/config.ts').then((m) => ({ help: m.HELP, run: m.configCommand })),
  up: () => import('./commands/up.ts').then((m) => ({ help: m.HELP, run: m.upCommand })),
  ps: () => import('./commands/ps.ts').then((m) => ({ help: m.HELP, run: m.psCommand })),
  logs: () => import('./commands/logs.ts').then((m) => ({ help: m.HELP, run: m.logsCommand })),
  down: () => import('./commands/down.ts').then((m) => ({ help: m.HELP, run: m.downCommand })),
  supervise: () => import('./commands/supervise.ts').then((m) => ({ help: m.HELP, run: m.superviseCommand })),
  topics: () => import('./commands/topics.ts').then((m) => ({ help: m.HELP, run: m.topicsCommand })),
  route: () => import('./commands/route.ts').then((m) => ({ help: m.HELP, run: m.routeCommand })),
  md: () => import('./commands/md.ts').then((m) => ({ help: m.HELP, run: m.mdCommand })),
  positions: () => import('./commands/positions.ts').then((m) => ({ help: m.HELP, run: m.positionsCommand })),
  report: () => import('./commands/report.ts').then((m) => ({ help: m.HELP, run: m.reportCommand })),
  audit: () => import('./commands/audit.ts').then((m) => ({ help: m.HELP, run: m.auditCommand })),
  chaos: () => import('./commands/chaos.ts').then((m) => ({ help: m.HELP, run: m.chaosCommand })),
  backtest: () => import('./commands/backtest.ts').then((m) => ({ help: m.HELP, run: m.backtestCommand })),
};

/** Failures that are the user's input or environment: one line, no stack. (By name, so that main loads none of the packages.) */
const ONE_LINE_ERRORS = new Set(['UsageError', 'StackError', 'SettingError', 'TopicConfigError', 'ReportError', 'KafkaAccessError', 'RunError', 'ConfigError']);

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) throw new UsageError(`unknown command "${name}"; run 'crossvenue help'`);
  const command = await load();
  // --help anywhere prints the command's help and runs nothing (`start --help` must not start a run).
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  return command.run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  const oneLine = error instanceof Error && ONE_LINE_ERRORS.has(error.name);
  console.error(`crossvenue: ${oneLine ? error.message : (error as Error).stack}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}

