/** How often a running command checks that the process that started it is still there. */
const PARENT_CHECK_MS = 1_000;

/** The parent when the command began: read at load, so a parent gone during a long start-up still counts. */
const STARTED_BY = process.ppid;

/**
 * Resolves with why a long-running command should shut down, in order: the first SIGINT or
 * SIGTERM, or 'parent exited' once the process that started it is gone. `npx crossvenue …` runs
 * node under npm exec and a shell; killing npx (SIGKILL, a closed terminal) signals none of them,
 * and without this check the command would run on orphaned, holding its ports.
 */
export function untilSignal(): Promise<NodeJS.Signals | 'parent exited'> {
  return new Promise((resolve) => {
    const done = (reason: NodeJS.Signals | 'parent exited') => {
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      clearInterval(watch);
      resolve(reason);
    };
    const onSignal = (signal: NodeJS.Signals) => done(signal);
    // An orphan is adopted by init or a subreaper, so its parent id changes. (A process whose
    // parent is pid 1 from the start, as in a container, keeps it and is stopped by signals.)
    const parentGone = () => process.ppid !== STARTED_BY;
    const watch = setInterval(() => {
      if (parentGone()) done('parent exited');
    }, PARENT_CHECK_MS);
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    if (parentGone()) done('parent exited');
  });
}
