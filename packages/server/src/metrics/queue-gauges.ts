import { Gauge, type Registry } from 'prom-client';
import type { ServerDatabase } from '../db/types.js';

interface QueueRow {
  due: number;
  oldest_due_seconds: number | null;
}

/**
 * The queue as the database sees it, read when Prometheus scrapes: tasks due (pending, not
 * handed out, their backoff over) and how long the oldest of them has been due. One query per
 * scrape for both gauges, on the partial index `task_claim` uses (`async_tasks_due_idx`, only the
 * rows still waiting), so it costs what the waiting rows cost. The values are the whole
 * database's: every instance reports the same ones (take max, not sum).
 */
export function queueGauges(db: ServerDatabase, registers: Registry[]) {
  // Both gauges are collected in one scrape: the first starts the read, the second shares it.
  let reading: Promise<QueueRow | null> | null = null;
  const read = () =>
    (reading ??= db
      .asService((tx) =>
        tx.query<QueueRow>(
          `select count(*)::int as due,
                  extract(epoch from now() - min(next_attempt_at))::float8 as oldest_due_seconds
             from public.async_tasks
            where status = 'pending' and dispatched_at is null and next_attempt_at <= now()`,
        ),
      )
      .then(
        ({ rows }) => rows[0] ?? null,
        // A database that does not answer leaves the gauges out of this scrape (no stale value):
        // the alert on /readyz says why.
        () => null,
      )
      .finally(() => {
        reading = null;
      }));

  new Gauge({
    name: 'async_chat_queue_due_tasks',
    help: 'Tasks waiting to be claimed now (pending, not dispatched, backoff over), in the whole database.',
    registers,
    async collect() {
      this.reset();
      const row = await read();
      if (row) this.set(row.due);
    },
  });
  new Gauge({
    name: 'async_chat_queue_oldest_due_seconds',
    help: 'How long the oldest task waiting to be claimed has been due (0 when none), in the whole database.',
    registers,
    async collect() {
      this.reset();
      const row = await read();
      if (row) this.set(Math.max(0, row.oldest_due_seconds ?? 0));
    },
  });
}
