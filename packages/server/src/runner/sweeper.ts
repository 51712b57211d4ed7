import type { Logger } from 'pino';
import type { ServerDatabase } from '../db/types.js';

/**
 * Calls `task_sweep()` every `intervalMs`: times out tasks past their deadline and hands out again
 * tasks that were dispatched but never started (a crash between claim and start).
 *
 * @example
 * const sweeper = createSweeper({ db, logger, intervalMs: 5000 }); sweeper.start();
 */
export function createSweeper({ db, logger, intervalMs }: { db: ServerDatabase; logger: Logger; intervalMs: number }) {
  let timer: NodeJS.Timeout | null = null;
  let sweeping: Promise<void> | null = null;

  async function sweepOnce(): Promise<unknown> {
    const { rows } = await db.asWorker((tx) => tx.query<{ r: unknown }>('select public.task_sweep() as r'));
    const result = typeof rows[0]?.r === 'string' ? JSON.parse(rows[0].r) : rows[0]?.r;
    const { timed_out = 0, redispatched = 0 } = (result ?? {}) as { timed_out?: number; redispatched?: number };
    if (timed_out || redispatched) logger.info({ timedOut: timed_out, redispatched }, 'sweep repaired tasks');
    return result;
  }

  const tick = () => {
    if (sweeping) return;
    sweeping = sweepOnce()
      .then(() => undefined)
      .catch((error: unknown) => logger.error({ err: error }, 'sweep failed'))
      .finally(() => (sweeping = null));
  };

  return {
    sweepOnce,
    start() {
      if (timer) return;
      timer = setInterval(tick, intervalMs);
      tick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await sweeping;
    },
  };
}
