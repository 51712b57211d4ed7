import type pg from 'pg';

/**
 * Waits until no task is pending or processing, up to `timeoutMs`; returns how many still are.
 * The suites give it the task deadline plus one sweep interval plus slack: a task still open then
 * is stuck.
 */
export async function waitForNoOpenTasks(sql: pg.Client, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = Number((await sql.query(`select count(*) as n from async_tasks where status in ('pending','processing')`)).rows[0].n);
    if (open === 0 || Date.now() > deadline) return open;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Polls `condition` every 200 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}
