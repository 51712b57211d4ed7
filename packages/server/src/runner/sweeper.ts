import type { Logger } from 'pino';
import type { ServerDatabase } from '../db/types.js';
import { every } from './periodic.js';

/** What `task_sweep` answers: how many tasks each repair touched. */
export interface SweepResult {
  timed_out: number;
  redispatched: number;
  lost: number;
}

/**
 * Calls `task_sweep()` every `intervalMs`: times out tasks past their deadline, retries the tasks of
 * a runner instance silent for `lostAfterSeconds` (`worker_lost`), and hands out again tasks that
 * were dispatched but never started (a crash between claim and start).
 *
 * @example
 * const sweeper = createSweeper({ db, logger, intervalMs: 5000 }); sweeper.start();
 */
export function createSweeper({
  db,
  logger,
  intervalMs,
  lostAfterSeconds = 30,
}: {
  db: ServerDatabase;
  logger: Logger;
  intervalMs: number;
  /** A runner instance silent this long has lost its tasks (retried as `worker_lost`). */
  lostAfterSeconds?: number;
}) {
  async function sweepOnce(): Promise<SweepResult> {
    const { rows } = await db.asWorker((tx) =>
      tx.query<{ r: SweepResult }>('select public.task_sweep(p_lost_after_seconds => $1::int) as r', [lostAfterSeconds]),
    );
    const result = rows[0]!.r;
    const { timed_out, redispatched, lost } = result;
    if (timed_out || redispatched || lost) logger.info({ timedOut: timed_out, redispatched, lost }, 'sweep repaired tasks');
    return result;
  }

  const sweeps = every(intervalMs, () =>
    sweepOnce().then(
      () => undefined,
      (error: unknown) => void logger.error({ err: error }, 'sweep failed'),
    ),
  );

  return { sweepOnce, start: sweeps.start, stop: sweeps.stop };
}
