import { hostname } from 'node:os';
import { kafkaMessageBus, resolveEndpoints, type Logger, type MessageBus } from '@crossvenue/runtime';
import { TOPICS } from '@crossvenue/schemas';
import { workerEnvironment, type WorkerProcess } from '../config/index.ts';

/** What the supervisor says on `ops.alerts` when a worker dies, for the notifier and the audit log. */
export interface WorkerDownAlerts {
  raise(process: WorkerProcess, pid: number, exit: string, restarts: number): void;
  close(): Promise<void>;
}

/**
 * WORKER_DOWN alerts (critical), published with the config's own Kafka and registry settings (those
 * of its first process: every process shares them). A failure to publish is logged and never stops
 * the supervisor: restarting the worker matters more than saying so. The event id names the dead
 * process, so a notifier that reads it twice sends it once.
 */
export async function workerDownAlerts(configPath: string, processes: readonly WorkerProcess[], logger: Logger): Promise<WorkerDownAlerts> {
  let messages: MessageBus | undefined;
  try {
    const env = workerEnvironment({ ...process.env, CROSSVENUE_CONFIG: configPath, CROSSVENUE_INSTANCE: processes[0]!.id });
    messages = kafkaMessageBus(`supervisor@${hostname()}`, logger, { endpoints: resolveEndpoints(env) });
    await messages.prepare([TOPICS.alerts]);
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'worker-down alerts are off: ops.alerts cannot be reached');
    await messages?.bus.close();
    messages = undefined;
  }
  return {
    raise(down, pid, exit, restarts) {
      const raisedAtMs = Date.now();
      const alert = {
        eventId: `worker-down:${down.id}:${pid}`,
        severity: 'CRITICAL' as const,
        code: 'WORKER_DOWN',
        component: 'supervisor',
        venue: null,
        account: null,
        subject: down.id,
        message: `${down.id} (${down.worker}, pid ${pid}) exited with ${exit}; restart ${restarts} follows`,
        raisedAtMs,
      };
      messages?.publish(TOPICS.alerts, [alert]).catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, `WORKER_DOWN for ${down.id} not published`));
    },
    close: async () => messages?.bus.close(),
  };
}
