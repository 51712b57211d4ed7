import type { Logger } from 'pino';
import type { AsyncTaskRow } from '../db/tables.js';
import type { ServerDatabase } from '../db/types.js';
import type { EventHub } from '../events/event-hub.js';

export interface ClaimLoopOptions {
  db: ServerDatabase;
  hub: EventHub;
  logger: Logger;
  concurrency: number;
  pollIntervalMs: number;
  /** Kinds to claim; null claims every kind. */
  kinds: string[] | null;
  /**
   * The runner instance that will hold the claimed tasks (recorded by `task_claim`, so the sweep
   * can retry them quickly if the instance stops heartbeating). Null for the n8n dispatcher:
   * n8n holds those tasks, and their deadline governs.
   */
  instanceId?: string | null;
  /** The limit now, when it moves (back-pressure); at most `concurrency`. Default: `concurrency`. */
  limit?: () => number;
  /** Works on one claimed task; must settle (it is awaited on shutdown). */
  execute(task: AsyncTaskRow): Promise<void>;
}

/**
 * Claims due tasks with `task_claim` (FOR UPDATE SKIP LOCKED, so several instances never take the
 * same one) whenever a task changes (NOTIFY) and on a timer, keeping at most `concurrency` in
 * flight. Shared by the in-process runner and the n8n dispatcher.
 *
 * @example
 * const loop = createClaimLoop({ db, hub, logger, concurrency: 4, pollIntervalMs: 2000, kinds: ['chat.reply'], execute });
 * loop.start(); … await loop.stop();
 */
export function createClaimLoop({
  db,
  hub,
  logger,
  concurrency,
  pollIntervalMs,
  kinds,
  instanceId = null,
  limit = () => concurrency,
  execute,
}: ClaimLoopOptions) {
  const inFlight = new Set<Promise<void>>();
  /** Ids of the tasks in flight: their own changes never make another task claimable before they end. */
  const working = new Set<string>();
  let running = false;
  let claiming = false;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let unsubscribe: (() => void) | null = null;

  async function pump(): Promise<void> {
    if (!running) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = true;
    try {
      do {
        again = false;
        while (running && inFlight.size < Math.min(concurrency, limit())) {
          const free = Math.min(concurrency, limit()) - inFlight.size;
          const claim = 'select * from public.task_claim($1::int, $2::text[], $3::uuid)';
          const params = [free, kinds, instanceId];
          const { rows } = db.asWorkerStatement
            ? await db.asWorkerStatement<AsyncTaskRow>(claim, params)
            : await db.asWorker((tx) => tx.query<AsyncTaskRow>(claim, params));
          for (const task of rows) track(task);
          if (rows.length < free) break;
        }
      } while (again && running);
    } catch (error) {
      logger.error({ err: error }, 'claiming tasks failed');
    } finally {
      claiming = false;
    }
  }

  function track(task: AsyncTaskRow) {
    working.add(task.id);
    const work = execute(task)
      .catch((error: unknown) => logger.error({ err: error, taskId: task.id }, 'task execution crashed'))
      .finally(() => {
        inFlight.delete(work);
        working.delete(task.id);
        // Its end may free the next task of its conversation: claim now.
        void pump();
      });
    inFlight.add(work);
  }

  return {
    start() {
      if (running || concurrency <= 0) return;
      running = true;
      unsubscribe = hub.subscribe({
        onEvent: (event) => {
          // A task this loop is working on notifies at each of its steps; only its end (above)
          // can free another task, so those notifications claim nothing.
          if (event.table === 'async_tasks' && !working.has(event.id)) void pump();
        },
        onResync: () => void pump(),
      });
      timer = setInterval(() => void pump(), pollIntervalMs);
      void pump();
    },
    /** Stops claiming; resolves when every task in flight has settled. */
    async stop() {
      running = false;
      if (timer) clearInterval(timer);
      unsubscribe?.();
      await Promise.allSettled([...inFlight]);
    },
    /** Claims now (used after a send to skip the NOTIFY round trip). */
    kick: () => void pump(),
    get inFlight() {
      return inFlight.size;
    },
  };
}

export type ClaimLoop = ReturnType<typeof createClaimLoop>;
