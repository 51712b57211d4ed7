import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { engines, visitor, type OpenedEngine } from './engines.js';
import { claim, claimOnly, makeDue, messagesOf, readTask, send, worker } from './fixtures.js';

// The same behaviour on PGlite and on real PostgreSQL: the migrations are the one schema.
describe.each(engines)('$name', (engine) => {
  const run = engine.available();
  let opened: OpenedEngine;
  beforeAll(async () => {
    if (run) opened = await engine.open();
  });
  afterAll(async () => {
    await opened?.close();
  });
  const test = run ? it : it.skip;
  const db = () => opened.db;

  test('reports its engine', () => {
    expect(db().engine).toBe(engine.name);
  });

  test('a chat message becomes a task that the worker completes with exactly one reply', async () => {
    const alice = visitor();
    const sent = await send(db(), alice, 'Hello?', 'k-1');
    expect(sent.created).toBe(true);
    expect(sent.task).toMatchObject({ kind: 'chat.reply', status: 'pending', attempt: 0, version: 1 });
    expect(sent.message).toMatchObject({ role: 'user', content: 'Hello?', async_task_id: sent.task.id });

    expect(await claimOnly(db(), sent.task.id)).toMatchObject({ id: sent.task.id, attempt: 1 });
    expect(await worker(db(), 'task_start', sent.task.id, 1, 'exec-1', 'Reading the conversation…')).toBe(true);
    expect(await worker(db(), 'task_complete', sent.task.id, 1, { content: 'Hi!' })).toBe(true);
    expect(await worker(db(), 'task_complete', sent.task.id, 1, { content: 'Hi again!' })).toBe(false);

    const messages = await db().asUser(alice, (tx) => messagesOf(tx, sent.conversation_id));
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hello?'],
      ['assistant', 'Hi!'],
    ]);
    expect(messages[1]!.seq).toBeGreaterThan(messages[0]!.seq);
    expect((await readTask(db(), sent.task.id)).status).toBe('completed');
  });

  test('the same idempotency key returns the same message and task and creates nothing', async () => {
    const bob = visitor(false);
    const first = await send(db(), bob, 'Once', 'same-key');
    const again = await send(db(), bob, 'Once', 'same-key');
    expect(again.created).toBe(false);
    expect(again.message.id).toBe(first.message.id);
    expect(again.task.id).toBe(first.task.id);
    const count = await db().asUser(bob, (tx) => tx.query<{ n: number }>('select count(*)::int as n from public.chat_messages'));
    expect(count.rows[0]!.n).toBe(1);
  });

  test('a report for an old attempt is ignored and a terminal task never moves', async () => {
    const carol = visitor();
    const { rows } = await db().asUser(carol, (tx) =>
      tx.query<{ id: string }>(`select id from public.create_task('test.stale', '{}'::jsonb, 'stale-1', 3, 60)`),
    );
    const id = rows[0]!.id;
    await claim(db(), 1, ['test.stale']);
    expect(await worker(db(), 'task_fail', id, 1, 'flaky', 'try again', true, null)).toBe(true);
    const retrying = await readTask(db(), id);
    expect(retrying).toMatchObject({ status: 'pending', attempt: 1, error: { code: 'flaky', retryable: true } });
    const waitMs = retrying.next_attempt_at.getTime() - Date.now();
    expect(waitMs).toBeGreaterThan(0);
    expect(waitMs).toBeLessThanOrEqual(2_000);

    await makeDue(db(), id);
    expect((await claim(db(), 1, ['test.stale']))[0]?.attempt).toBe(2);
    const before = await readTask(db(), id);
    expect(await worker(db(), 'task_complete', id, 1, { late: true })).toBe(false);
    expect(await worker(db(), 'task_progress', id, 1, 'late')).toBe(false);
    expect((await readTask(db(), id)).version).toBe(before.version);

    expect(await worker(db(), 'task_fail', id, 2, 'fatal', 'no way', false, null)).toBe(true);
    expect((await readTask(db(), id)).status).toBe('failed');
    expect(await worker(db(), 'task_complete', id, 2, {})).toBe(false);
    expect((await readTask(db(), id)).status).toBe('failed');

    const retried = await db().asUser(carol, (tx) =>
      tx.query<{ status: string; max_attempts: number }>('select * from public.retry_task($1)', [id]),
    );
    expect(retried.rows[0]).toMatchObject({ status: 'pending', max_attempts: 3 });
  });

  test('stop while processing: the completion turns into cancelled and no reply is written', async () => {
    const dave = visitor();
    const sent = await send(db(), dave, 'Long question', 'stop-1');
    await claimOnly(db(), sent.task.id);
    await worker(db(), 'task_start', sent.task.id, 1, null, null);
    const requested = await db().asUser(dave, (tx) =>
      tx.query<{ status: string; cancel_requested: boolean }>('select * from public.request_task_cancel($1)', [sent.task.id]),
    );
    expect(requested.rows[0]).toMatchObject({ status: 'processing', cancel_requested: true });
    expect(await worker(db(), 'task_complete', sent.task.id, 1, { content: 'too late' })).toBe(true);
    expect((await readTask(db(), sent.task.id)).status).toBe('cancelled');
    const messages = await db().asUser(dave, (tx) => messagesOf(tx, sent.conversation_id));
    expect(messages.map((m) => m.role)).toEqual(['user']);
  });

  test('stop while processing: the next progress report finishes the cancel, so a worker that just stops leaves nothing open', async () => {
    const erin = visitor();
    const sent = await send(db(), erin, 'Another long question', 'stop-2');
    await claimOnly(db(), sent.task.id);
    await worker(db(), 'task_start', sent.task.id, 1, null, null);
    await db().asUser(erin, (tx) => tx.query('select * from public.request_task_cancel($1)', [sent.task.id]));
    expect(await worker(db(), 'task_progress', sent.task.id, 1, 'still going')).toBe(false);
    expect((await readTask(db(), sent.task.id)).status).toBe('cancelled');
    expect(await worker(db(), 'task_complete', sent.task.id, 1, { content: 'too late' })).toBe(false);
    const messages = await db().asUser(erin, (tx) => messagesOf(tx, sent.conversation_id));
    expect(messages.map((m) => m.role)).toEqual(['user']);
  });

  test('a visitor sees only their own rows; a foreign task is "not found" (P0002)', async () => {
    const owner = visitor();
    const stranger = visitor();
    const sent = await send(db(), owner, 'Private', 'private-1');
    const seen = await db().asUser(stranger, (tx) =>
      tx.query(
        'select id from public.async_tasks union all select id from public.chat_messages union all select id from public.conversations',
      ),
    );
    expect(seen.rows).toEqual([]);
    await expect(
      db().asUser(stranger, (tx) => tx.query('select * from public.request_task_cancel($1)', [sent.task.id])),
    ).rejects.toMatchObject({ code: 'P0002', message: 'task not found' });
    await expect(
      db().asUser(stranger, (tx) => tx.query('select public.send_chat_message($1, $2, $3)', [sent.conversation_id, 'hi', 'x'])),
    ).rejects.toMatchObject({ code: 'P0002', message: 'conversation not found' });
  });

  test('a chat reply is made only by send_chat_message, bound to its owner conversation', async () => {
    const attacker = visitor();
    const victim = visitor();
    const theirs = await send(db(), victim, 'Secret', 'bound-1');
    const input = { conversation_id: theirs.conversation_id, message_id: theirs.message.id };
    await expect(
      db().asUser(attacker, (tx) => tx.query(`select public.create_task('chat.reply', $1::jsonb, 'bound-2')`, [input])),
    ).rejects.toMatchObject({
      code: '22023',
      message: 'task kind "chat.reply" is reserved (the chat. kinds): chat replies are made by send_chat_message',
    });
    await expect(
      db().asUser(attacker, (tx) => tx.query(`insert into public.async_tasks (kind, input) values ('chat.reply', $1::jsonb)`, [input])),
    ).rejects.toMatchObject({ code: '42501' });
    const attackerId = attacker.sub;
    await expect(
      db().asService((tx) =>
        tx.query(`insert into public.async_tasks (owner_id, conversation_id, kind, input) values ($1, $2, 'chat.reply', $3::jsonb)`, [
          attackerId,
          theirs.conversation_id,
          input,
        ]),
      ),
    ).rejects.toMatchObject({ code: '23503', constraint: 'async_tasks_conversation_belongs_to_owner' });
    const messages = await db().asUser(victim, (tx) => messagesOf(tx, theirs.conversation_id));
    expect(messages.map((m) => m.content)).toEqual(['Secret']);
  });

  test('limits are errors with SQLSTATE codes and clear messages', async () => {
    const erin = visitor();
    await expect(send(db(), erin, 'x'.repeat(16_001), 'long')).rejects.toMatchObject({
      code: '22001',
      message: 'message content is longer than 16000 characters (16001)',
    });
    await expect(send(db(), erin, '', 'empty')).rejects.toMatchObject({ code: '22023' });
    await expect(
      db().asUser(erin, (tx) => tx.query(`select public.create_task('demo.big', $1::jsonb, 'big')`, [{ s: 'x'.repeat(70_000) }])),
    ).rejects.toMatchObject({ code: '22001' });
    await expect(db().asWorker((tx) => tx.query(`select public.send_chat_message(null, 'hi', 'w')`))).rejects.toMatchObject({
      code: '42501',
    });
    await expect(db().asUser({}, (tx) => tx.query(`select public.send_chat_message(null, 'hi', 'n')`))).rejects.toMatchObject({
      code: '42501',
    });
  });

  test('role and claims end with the transaction; int8 columns are numbers', async () => {
    const frank = visitor();
    const sent = await send(db(), frank, 'Numbers', 'num-1');
    expect(typeof sent.task.version).toBe('number');
    const row = await readTask(db(), sent.task.id);
    expect(typeof row.version).toBe('number');
    expect(typeof row.seq).toBe('number');
    for (let i = 0; i < 3; i++) {
      const after = await db().query<{ role: string; claims: string | null }>(
        `select current_user as role, nullif(current_setting('request.jwt.claims', true), '') as claims`,
      );
      expect(after.rows[0]).toEqual({ role: 'postgres', claims: null });
    }
  });

  test('a transaction that throws rolls back and leaves no role behind', async () => {
    const ivy = visitor();
    await expect(
      db().asUser(ivy, async (tx) => {
        await tx.query(`select public.send_chat_message(null, 'rolled back', 'rb-1')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await db().query<{ role: string }>('select current_user as role');
    expect(after.rows[0]!.role).toBe('postgres');
    const left = await db().asUser(ivy, (tx) => tx.query('select id from public.chat_messages'));
    expect(left.rows).toEqual([]);
  });

  test('a timed-out attempt is retried by the sweep', async () => {
    const gina = visitor();
    const { rows } = await db().asUser(gina, (tx) =>
      tx.query<{ id: string }>(`select id from public.create_task('test.sweep', '{}'::jsonb, 'sweep-1', 2, 1)`),
    );
    const id = rows[0]!.id;
    await claim(db(), 1, ['test.sweep']);
    await worker(db(), 'task_start', id, 1, null, null);
    await db().asService((tx) => tx.query(`update public.async_tasks set deadline_at = now() - interval '1 second' where id = $1`, [id]));
    const swept = await db().asWorker((tx) => tx.query<{ r: { timed_out: number } }>('select public.task_sweep(30) as r'));
    expect(swept.rows[0]!.r.timed_out).toBeGreaterThanOrEqual(1);
    expect(await readTask(db(), id)).toMatchObject({ status: 'pending', error: { code: 'timeout' } });
  });

  test('every change is announced on app_events naming the row and its conversation, nothing more', async () => {
    const payloads: Array<Record<string, unknown>> = [];
    const unlisten = await db().listen('app_events', (payload) => payloads.push(JSON.parse(payload)));
    try {
      const hank = visitor();
      const sent = await send(db(), hank, 'Notify me', 'notify-1');
      await vi.waitFor(
        () => {
          // Any role that can connect may LISTEN: no owner, version or seq (listeners re-read the row).
          expect(payloads).toContainEqual({ table: 'chat_messages', id: sent.message.id, conversation_id: sent.conversation_id });
          expect(payloads).toContainEqual({ table: 'async_tasks', id: sent.task.id, conversation_id: sent.conversation_id });
        },
        { timeout: 10_000, interval: 20 },
      );
      const generic = await db().asUser(hank, (tx) =>
        tx.query<{ id: string }>(`select id from public.create_task('test.notify', '{}'::jsonb, 'notify-2')`),
      );
      await vi.waitFor(() => expect(payloads).toContainEqual({ table: 'async_tasks', id: generic.rows[0]!.id, conversation_id: null }), {
        timeout: 10_000,
        interval: 20,
      });
    } finally {
      await unlisten();
    }
  });
});
