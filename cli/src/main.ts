import { SettingError, TopicConfigError } from '@crossvenue/schemas';
import { StackError } from '@crossvenue/infra';
import { parseArgs, UsageError } from './args.ts';
import { stackCommand } from './commands/stack.ts';
import { startCommand } from './commands/start.ts';
import { topicsCommand } from './commands/topics.ts';
import { workerCommand } from './commands/worker.ts';

const USAGE = `usage: crossvenue <command> [options]

  start                         embedded run: every worker in one process, simulated venues
  stack up|down|status [--json] the local Kafka, schema registry and ClickHouse
  worker <name>                 run one worker against Kafka (see 'crossvenue worker --help')
  topics [--json]               the topic catalogue`;

const COMMANDS: Record<string, (args: ReturnType<typeof parseArgs>) => Promise<number>> = {
  start: startCommand,
  stack: stackCommand,
  topics: topicsCommand,
  worker: workerCommand,
};

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const [name] = args.positionals;
  if (!name || name === 'help' || (args.flags.has('help') && !name)) {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command "${name}"; run 'crossvenue help'`);
  return command({ ...args, positionals: args.positionals.slice(1) });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Known failures are one line; anything else is a bug and keeps its stack.
  const known = [UsageError, StackError, SettingError, TopicConfigError].some((kind) => error instanceof kind);
  console.error(`crossvenue: ${known ? (error as Error).message : (error as Error).stack}`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
}
