import { resolve } from 'node:path';
import { createLogger } from '@crossvenue/runtime/process';
import { parseArgs, UsageError } from '../args.ts';
import { isOurGroupAlive } from '../supervisor/processGroups.ts';
import { parseReplicas } from '../supervisor/replicas.ts';
import { RunError } from '../supervisor/RunError.ts';
import { BIN, runPaths } from '../supervisor/runPaths.ts';
import { readRunState } from '../supervisor/runState.ts';
import { Supervisor } from '../supervisor/Supervisor.ts';
import { workerDownAlerts } from '../supervisor/workerDownAlerts.ts';
import { loadConfig, planWorkers } from '../config/index.ts';

export const HELP = `usage: crossvenue supervise --config F [--replicas worker=N,…]

The supervisor that crossvenue up starts in the background: runs every process the config plans and
restarts one that crashes; SIGTERM or SIGINT stops them all, then it. Use crossvenue up, ps, logs
and down rather than this.`;

/** `crossvenue supervise`: runs the planned processes until told to stop (the background half of `up`). */
export async function superviseCommand(argv: string[]): Promise<number> {
  const { positionals, options } = parseArgs(argv, { valued: ['config', 'replicas'] });
  const config = options.get('config');
  if (!config || positionals.length > 0) throw new UsageError('supervise needs --config F and nothing else; crossvenue up starts it');
  const paths = runPaths();
  const running = readRunState(paths.state);
  if (running && isOurGroupAlive(running.supervisor.pid, BIN)) throw new RunError(`a supervisor already runs for ${paths.root} (pid ${running.supervisor.pid})`);

  const configPath = resolve(config);
  const processes = planWorkers(loadConfig(configPath), { replicas: parseReplicas(options.get('replicas')) });
  const logger = createLogger('supervisor');
  const alerts = await workerDownAlerts(configPath, processes, logger);
  const supervisor = new Supervisor({ configPath, processes, paths, env: process.env, logger, onExit: (down, pid, exit, restarts) => alerts.raise(down, pid, exit, restarts) });
  // Listening before the first worker starts, so an early stop still stops them all; and for good,
  // so a second signal while stopping cannot end the supervisor halfway (it would leave workers).
  const stopSignal = new Promise<NodeJS.Signals>((resolveSignal) => {
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => resolveSignal(signal));
  });
  supervisor.start();
  logger.info({ config: configPath, processes: processes.length, state: paths.state }, `supervising ${processes.length} processes`);
  const signal = await stopSignal;
  logger.info(`${signal}: stopping every process`);
  await supervisor.stop();
  await alerts.close();
  logger.info('every process stopped');
  return 0;
}
