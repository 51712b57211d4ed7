import type pg from 'pg';
import { waitUntil } from './settle.js';

/** Ids of the tasks a worker holds right now: claimed (dispatched) or processing, not finished. */
export async function inFlightTaskIds(sql: pg.Client): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `select id from async_tasks where status = 'processing' or (status = 'pending' and dispatched_at is not null)`,
  );
  return rows.map((r) => r.id);
}

/** Polls until at least `min` tasks are in flight (or `timeoutMs` passes); returns their ids. */
export async function waitForInFlight(sql: pg.Client, min: number, timeoutMs: number): Promise<string[]> {
  let ids: string[] = [];
  await waitUntil(
    async () => {
      ids = await inFlightTaskIds(sql);
      return ids.length >= min;
    },
    timeoutMs,
    50,
  );
  return ids;
}

/** How many tasks ended after 1, 2, 3… attempts, e.g. `{ "1": 115, "2": 5 }`. */
export async function attemptsHistogram(sql: pg.Client): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ attempt: number; n: number }>(
    'select attempt, count(*)::int as n from async_tasks group by 1 order by 1',
  );
  return Object.fromEntries(rows.map((r) => [String(r.attempt), r.n]));
}

/** Each task's last error code, counted (e.g. `{ timeout: 3, not_started: 1 }`); tasks without one are left out. */
export async function lastErrorCodes(sql: pg.Client): Promise<Record<string, number>> {
  const { rows } = await sql.query<{ code: string; n: number }>(
    `select error->>'code' as code, count(*)::int as n from async_tasks where error is not null group by 1 order by 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.code, r.n]));
}
