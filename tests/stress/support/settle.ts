import type pg from 'pg';

/**
 * Waits until no task is pending or processing, up to `timeoutMs`; returns how many still are.
 * The suites give it the task deadline plus one sweep interval plus slack: a task still open then
 * is stuck.
 */
export async function waitForNoOpenTasks(sql: pg.Client, timeoutMs: number): Promise<number> {
  let open = 0;
  await waitUntil(
    async () => {
      open = Number((await sql.query(`select count(*) as n from async_tasks where status in ('pending','processing')`)).rows[0].n);
      return open === 0;
    },
    timeoutMs,
    250,
  );
  return open;
}

/** Polls `condition` every `intervalMs` until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
