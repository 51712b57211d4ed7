import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import type { ServerDatabase } from '../db/types.js';
import { every } from './periodic.js';

export interface HeartbeatOptions {
  db: ServerDatabase;
  logger: Logger;
  /** This process's runner instance id (random per start). */
  instanceId: string;
  intervalMs: number;
}

/**
 * Tells the database every `intervalMs` that this runner instance is alive (`runner_heartbeat`).
 * `task_sweep` fails the attempts of an instance that stopped heartbeating (killed, machine gone)
 * as `worker_lost`, so they are retried in seconds instead of at their deadline. A beat that
 * fails because the database is unreachable is only logged: the next tick tries again, and the
 * sweep does not count a database outage against the instance (it measures from the database's
 * start). `stop()` deregisters the instance (`runner_stopped`) after its tasks were released.
 *
 * @example
 * const heartbeat = createHeartbeat({ db, logger, instanceId: randomUUID(), intervalMs: 10_000 });
 * heartbeat.start(); … await heartbeat.stop();
 */
export function createHeartbeat({ db, logger, instanceId, intervalMs }: HeartbeatOptions) {
  async function beatOnce(): Promise<void> {
    await db.asWorker((tx) => tx.query('select public.runner_heartbeat($1::uuid)', [instanceId]));
  }

  const beats = every(intervalMs, () =>
    beatOnce().catch((error: unknown) => {
      if (isDatabaseUnavailable(error))
        logger.warn({ err: error, instanceId }, 'runner heartbeat: database unreachable, retrying next tick');
      else logger.error({ err: error, instanceId }, 'runner heartbeat failed');
    }),
  );

  return {
    instanceId,
    start: beats.start,
    /** Stops beating and deletes the instance row (call after the tasks in flight were settled). */
    async stop() {
      await beats.stop();
      try {
        await db.asWorker((tx) => tx.query('select public.runner_stopped($1::uuid)', [instanceId]));
      } catch (error) {
        // Nothing is lost: the row ages out, and any task still recorded as held is retried by the sweep.
        logger.warn({ err: error, instanceId }, 'could not deregister the runner instance');
      }
    },
  };
}

export type Heartbeat = ReturnType<typeof createHeartbeat>;
