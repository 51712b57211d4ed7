import pg from 'pg';

/** A plain connection to the test database as its owner (bypasses RLS: the checks see every row). */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

export interface ReplyAudit {
  userMessages: number;
  tasks: Record<string, number>;
  /** User messages whose task has no assistant message. */
  unanswered: number;
  /** Tasks with more than one assistant message (the unique index should make this impossible). */
  duplicateReplies: number;
  /** Tasks dispatched more than once (attempt > 1). */
  redispatched: number;
  /** Non-terminal tasks past their deadline. */
  stuck: number;
}

/** What the database says about every chat message and task. */
export async function auditReplies(sql: pg.Client): Promise<ReplyAudit> {
  const one = async (text: string) => Number(Object.values((await sql.query(text)).rows[0] as object)[0]);
  const statuses = await sql.query<{ status: string; n: string }>('select status, count(*) as n from async_tasks group by status');
  return {
    userMessages: await one(`select count(*) from chat_messages where role = 'user'`),
    tasks: Object.fromEntries(statuses.rows.map((r) => [r.status, Number(r.n)])),
    unanswered: await one(`select count(*) from chat_messages u where u.role = 'user'
      and not exists (select 1 from chat_messages a where a.role = 'assistant' and a.async_task_id = u.async_task_id)`),
    duplicateReplies: await one(`select count(*) from (select async_task_id from chat_messages where role = 'assistant'
      group by async_task_id having count(*) > 1) d`),
    redispatched: await one(`select count(*) from async_tasks where attempt > 1`),
    stuck: await one(`select count(*) from async_tasks where status in ('pending','processing') and deadline_at < now()`),
  };
}

/** Row counts of every table the API writes, to show a rejected request changed nothing. */
export async function rowCounts(sql: pg.Client): Promise<Record<string, number>> {
  const tables = ['public.conversations', 'public.chat_messages', 'public.async_tasks', 'app_internal.webhook_deliveries'];
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await sql.query(`select count(*) as n from ${table}`)).rows[0].n);
  // Writes that change no count: every update of a task bumps its version, and every insert or
  // update of a row of a conversation moves that conversation's seq counter.
  counts.writes = Number(
    (
      await sql.query(`select (select coalesce(sum(version), 0) from public.async_tasks)
        + (select coalesce(sum(last_seq), 0) from app_internal.conversation_seq) as n`)
    ).rows[0].n,
  );
  return counts;
}

/** Where the time went, from the rows: waiting to be started, then being worked on (ms each). */
export async function taskTimings(sql: pg.Client): Promise<{ queuedMs: number[]; workingMs: number[] }> {
  const { rows } = await sql.query<{ queued: number; working: number }>(`select
      extract(epoch from (started_at - created_at)) * 1000 as queued,
      extract(epoch from (finished_at - started_at)) * 1000 as working
    from async_tasks where started_at is not null and finished_at is not null`);
  return { queuedMs: rows.map((r) => Number(r.queued)), workingMs: rows.map((r) => Number(r.working)) };
}
