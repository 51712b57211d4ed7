import { randomUUID } from 'node:crypto';
import { checkRequirement, requirements } from '@app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Sql } from '../src/index.js';
import { openMigratedPostgres, visitor, type OpenedEngine } from './engines.js';
import { claim, readTask, send, type MessageRow, type TaskRow } from './fixtures.js';

// The per-conversation seq counter (20261201000100_change_feed.sql) is a row lock held by every
// write of a conversation until it commits. Real PostgreSQL only: these are races between
// connections. A lock wait the design forbids fails with 55P03 (lock_timeout) instead of hanging.

/** Runs `fn` in a transaction as the visitor and keeps it open until `release()`. */
function holdOpen(db: Database, claims: Record<string, unknown>, fn: (tx: Sql) => Promise<unknown>) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let ready!: () => void;
  const written = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const done = db.asUser(claims, async (tx) => {
    const result = await fn(tx);
    ready();
    await released;
    return result;
  });
  return { written, release, done };
}

const neverWait = (tx: Sql) => tx.query(`set local lock_timeout = '5s'`);

async function taskOfConversation(db: Database, user: Record<string, unknown>, kind: string) {
  const sent = await send(db, user, 'hello', `k-${randomUUID()}`);
  const task = await db.asUser(user, async (tx) => {
    const { rows } = await tx.query<TaskRow>('select * from public.create_task($1, $2, $3, 3, 120, $4)', [
      kind,
      {},
      `t-${randomUUID()}`,
      sent.conversation_id,
    ]);
    return rows[0]!;
  });
  return { conversationId: sent.conversation_id, task };
}

describe.skipIf(!checkRequirement(requirements.postgres))('per-conversation seq on PostgreSQL', () => {
  let opened: OpenedEngine;
  beforeAll(async () => {
    opened = await openMigratedPostgres(12);
  });
  afterAll(async () => {
    await opened?.close();
  });

  it('two writers of one conversation take their seq in commit order: the second waits for the first', async () => {
    const { db } = opened;
    const user = visitor();
    const first = await send(db, user, 'first', `k-${randomUUID()}`);
    const insert = (tx: Sql, content: string) =>
      tx
        .query<MessageRow>(`insert into public.chat_messages (conversation_id, role, content) values ($1, 'user', $2) returning *`, [
          first.conversation_id,
          content,
        ])
        .then((r) => r.rows[0]!);
    const one = holdOpen(db, user, (tx) => insert(tx, 'one'));
    await one.written;
    const two = db.asUser(user, (tx) => insert(tx, 'two'));
    // The second insert waits on the conversation's counter while the first is open.
    await expect
      .poll(async () =>
        Number(
          (
            await db.query<{ n: number }>(
              `select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into public.chat_messages%'`,
            )
          ).rows[0]!.n,
        ),
      )
      .toBe(1);
    one.release();
    const [a, b] = [(await one.done) as MessageRow, await two];
    expect(b.seq).toBe(a.seq + 1);
  });

  it('task_claim passes over a conversation being written right now, waits for nobody, and claims it after the commit', async () => {
    const { db } = opened;
    const user = visitor();
    const kind = `claim.${randomUUID().slice(0, 8)}`;
    const { conversationId, task } = await taskOfConversation(db, user, kind);
    const writing = holdOpen(db, user, (tx) =>
      tx.query(`insert into public.chat_messages (conversation_id, role, content) values ($1, 'user', 'typing')`, [conversationId]),
    );
    await writing.written;
    const during = await db.asWorker(async (tx) => {
      await neverWait(tx);
      return (await tx.query<TaskRow>('select * from public.task_claim(10, $1)', [[kind]])).rows;
    });
    expect(during).toEqual([]);
    writing.release();
    await writing.done;
    expect((await claim(db, 10, [kind])).map((t) => t.id)).toEqual([task.id]);
  });

  it('task_sweep passes over a conversation being written right now and takes its timed-out task at a later sweep', async () => {
    const { db } = opened;
    const user = visitor();
    const kind = `sweep.${randomUUID().slice(0, 8)}`;
    const { conversationId, task } = await taskOfConversation(db, user, kind);
    await claim(db, 1, [kind]);
    await db.asService((tx) =>
      tx.query(`update public.async_tasks set deadline_at = now() - interval '1 second' where id = $1`, [task.id]),
    );
    const writing = holdOpen(db, user, (tx) =>
      tx.query(`insert into public.chat_messages (conversation_id, role, content) values ($1, 'user', 'typing')`, [conversationId]),
    );
    await writing.written;
    await db.asWorker(async (tx) => {
      await neverWait(tx);
      await tx.query('select public.task_sweep(30)');
    });
    expect(await readTask(db, task.id)).toMatchObject({ status: 'pending', attempt: 1, error: null });
    writing.release();
    await writing.done;
    await db.asWorker((tx) => tx.query('select public.task_sweep(30)'));
    expect(await readTask(db, task.id)).toMatchObject({ status: 'pending', attempt: 1, error: { code: 'timeout' } });
  });

  it('concurrent claimers, sweeps and visitors writing the same 60 conversations never deadlock, and claim each task once', async () => {
    const { db } = opened;
    const kinds = ['mix.a', 'mix.b', 'mix.c'];
    const users = Array.from({ length: 60 }, () => visitor());
    const conversations: string[] = [];
    const tasks: string[] = [];
    for (const user of users) {
      const { conversationId, task } = await taskOfConversation(db, user, kinds[0]!);
      conversations.push(conversationId);
      tasks.push(task.id);
      for (const kind of kinds.slice(1)) {
        const { rows } = await db.asUser(user, (tx) =>
          tx.query<TaskRow>('select * from public.create_task($1, $2, $3, 3, 120, $4)', [kind, {}, `t-${randomUUID()}`, conversationId]),
        );
        tasks.push(rows[0]!.id);
      }
    }
    const claimed: string[] = [];
    const claimer = async () => {
      for (let n = 0; n < 40; n++) claimed.push(...(await claim(db, 1 + Math.floor(Math.random() * 5), kinds)).map((r) => r.id));
    };
    const writer = async (i: number) => {
      for (let n = 0; n < 5; n++) await send(db, users[i]!, `more ${n}`, `w-${i}-${n}`, conversations[i]!);
    };
    const sweeper = async () => {
      for (let n = 0; n < 10; n++) await db.asWorker((tx) => tx.query('select public.task_sweep(30)'));
    };
    await Promise.all([...Array.from({ length: 4 }, claimer), ...users.map((_, i) => writer(i)), sweeper(), sweeper()]);
    // What was passed over while its conversation was being written is claimed now.
    for (let rows = await claim(db, 1000, kinds); rows.length; rows = await claim(db, 1000, kinds)) claimed.push(...rows.map((r) => r.id));
    expect(claimed.sort()).toEqual([...tasks].sort());
    const seqs = await db.query<{ duplicates: number }>(
      `select count(*)::int as duplicates from (
         select conversation_id, seq from (
           select conversation_id, seq from public.chat_messages union all
           select conversation_id, seq from public.async_tasks where conversation_id is not null) r
          where conversation_id = any($1::uuid[]) group by 1, 2 having count(*) > 1) d`,
      [conversations],
    );
    expect(seqs.rows[0]!.duplicates).toBe(0);
  });
});
