import { randomUUID } from 'node:crypto';
import { checkRequirement, requirements } from '@app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedPostgres, visitor, type OpenedEngine } from './engines.js';
import { claimOnly, messagesOf, readTask, send, type TaskRow } from './fixtures.js';

// Real PostgreSQL only: several connections racing for the same rows.
describe.skipIf(!checkRequirement(requirements.postgres))('concurrency on PostgreSQL', () => {
  let opened: OpenedEngine;
  beforeAll(async () => {
    opened = await openMigratedPostgres(10);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('8 concurrent claimers over 1,000 due tasks claim each exactly once', async () => {
    const { db } = opened;
    await db.asService((tx) =>
      tx.query(
        `insert into public.async_tasks (owner_id, kind, idempotency_key)
         select $1, 'load.test', 'load-' || g from generate_series(1, 1000) g`,
        [randomUUID()],
      ),
    );
    const claimer = async () => {
      const mine: string[] = [];
      for (;;) {
        const limit = 1 + Math.floor(Math.random() * 4);
        const { rows } = await db.asWorker((tx) => tx.query<TaskRow>(`select * from public.task_claim($1, array['load.test'])`, [limit]));
        if (rows.length === 0) return mine;
        for (const row of rows) {
          expect(row.attempt).toBe(1);
          mine.push(row.id);
        }
      }
    };
    const perClaimer = await Promise.all(Array.from({ length: 8 }, claimer));
    const all = perClaimer.flat();
    expect(all).toHaveLength(1000);
    expect(new Set(all).size).toBe(1000);
    expect(perClaimer.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
    const left = await db.asService((tx) =>
      tx.query<{ undispatched: number; max_attempt: number }>(
        `select count(*) filter (where dispatched_at is null)::int as undispatched, max(attempt) as max_attempt
           from public.async_tasks where kind = 'load.test'`,
      ),
    );
    expect(left.rows[0]).toEqual({ undispatched: 0, max_attempt: 1 });
  });

  it('sweep and completion racing on the same task leave one consistent outcome, every time', async () => {
    const { db } = opened;
    const outcomes = { completed: 0, timedOut: 0 };
    for (let round = 0; round < 40; round++) {
      const user = visitor();
      const sent = await send(db, user, `race ${round}`, `race-${round}`);
      await claimOnly(db, sent.task.id);
      await db.asWorker((tx) => tx.query('select public.task_start($1, 1)', [sent.task.id]));
      await db.asService((tx) =>
        tx.query(`update public.async_tasks set deadline_at = now() - interval '1 second' where id = $1`, [sent.task.id]),
      );

      const [completed, swept] = await Promise.all([
        db.asWorker((tx) =>
          tx.query<{ ok: boolean }>('select public.task_complete($1, 1, $2) as ok', [sent.task.id, { content: `reply ${round}` }]),
        ),
        db.asWorker((tx) => tx.query<{ r: { timed_out: number } }>('select public.task_sweep(30) as r')),
      ]);
      const task = await readTask(db, sent.task.id);
      const replies = (await db.asUser(user, (tx) => messagesOf(tx, sent.conversation_id))).filter((m) => m.role === 'assistant');

      if (completed.rows[0]!.ok) {
        outcomes.completed++;
        expect(task.status).toBe('completed');
        expect(replies.map((m) => m.content)).toEqual([`reply ${round}`]);
        expect(swept.rows[0]!.r.timed_out).toBe(0);
      } else {
        outcomes.timedOut++;
        expect(swept.rows[0]!.r.timed_out).toBe(1);
        expect(task).toMatchObject({ status: 'pending', attempt: 1, error: { code: 'timeout' } });
        expect(replies).toEqual([]);
      }
    }
    expect(outcomes.completed + outcomes.timedOut).toBe(40);
    console.info(`sweep/complete race outcomes over 40 rounds: ${JSON.stringify(outcomes)}`);
  });

  it('concurrent sends with one idempotency key make one message and one task', async () => {
    const { db } = opened;
    const user = visitor();
    const results = await Promise.all(Array.from({ length: 8 }, () => send(db, user, 'double click', 'dbl-1')));
    expect(new Set(results.map((r) => r.task.id)).size).toBe(1);
    expect(new Set(results.map((r) => r.message.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const counts = await db.asUser(user, (tx) =>
      tx.query<{ m: number; c: number }>(
        'select (select count(*)::int from public.chat_messages) as m, (select count(*)::int from public.conversations) as c',
      ),
    );
    expect(counts.rows[0]).toEqual({ m: 1, c: 1 });
  });
});
