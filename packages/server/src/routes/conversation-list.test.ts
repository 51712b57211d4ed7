import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { readSse } from '../../test/support/sse-reader.js';
import { engines, key, testApp, type TestApp } from '../../test/support/test-app.js';

/** Claims the conversation's due task and completes it with `content`, as a worker would. */
async function reply(db: Database, taskId: string, content: string) {
  await db.asWorker(async (tx) => {
    const { rows } = await tx.query<{ id: string; attempt: number }>('select id, attempt from public.task_claim(100)');
    const attempt = rows.find((r) => r.id === taskId)!.attempt;
    await tx.query('select public.task_complete($1::uuid, $2::int, $3::jsonb)', [taskId, attempt, JSON.stringify({ content })]);
  });
}

describe.each(engines)('conversation list routes on $engine', ({ open }) => {
  let db: Database;
  let t: TestApp;
  let me: string;
  let other: string;
  beforeAll(async () => {
    db = await open();
    t = await testApp(db);
    me = (await t.visitor()).token;
    other = (await t.visitor()).token;
  });
  afterAll(() => db.close());

  const list = async (token: string, query = '') => {
    const res = await t.request(`/api/conversations${query}`, { token });
    return { status: res.status, body: await res.json() };
  };

  describe('GET /api/conversations', () => {
    it('lists only the visitor’s own conversations, newest activity first, with title and last message', async () => {
      const v = (await t.visitor()).token;
      const first = await t.send(v, { content: 'First question about shipping', idempotencyKey: key() });
      const second = await t.send(v, { content: 'Second one', idempotencyKey: key() });
      await reply(db, first.body.task.id, 'It ships in 2 days');

      const { status, body } = await list(v);
      expect(status).toBe(200);
      expect(body.nextCursor).toBeNull();
      expect(body.conversations.map((c: { id: string }) => c.id)).toEqual([first.body.conversationId, second.body.conversationId]);
      expect(body.conversations[0]).toMatchObject({
        title: 'First question about shipping',
        lastMessage: { role: 'assistant', content: 'It ships in 2 days' },
      });
      expect(body.conversations[1]).toMatchObject({ title: 'Second one', lastMessage: { role: 'user', content: 'Second one' } });
      expect((await list(other)).body.conversations.map((c: { id: string }) => c.id)).not.toContain(first.body.conversationId);
    });

    it('pages with the opaque cursor, each conversation once', async () => {
      const v = (await t.visitor()).token;
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await t.send(v, { content: `c${i}`, idempotencyKey: key() })).body.conversationId);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const { body } = await list(v, query);
        expect(body.conversations.length).toBeLessThanOrEqual(2);
        seen.push(...body.conversations.map((c: { id: string }) => c.id));
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
    });

    it('answers 400 for a bad limit, a forged cursor or an unknown parameter, and 401 without a token', async () => {
      for (const query of ['?limit=0', '?limit=101', '?limit=x', '?cursor=bm9wZQ', '?page=2']) {
        const { status, body } = await list(me, query);
        expect([query, status, body.error.code]).toEqual([query, 400, 'invalid_input']);
      }
      expect((await t.request('/api/conversations')).status).toBe(401);
    });
  });

  describe('POST /api/conversations', () => {
    it('makes a new, empty conversation (with or without a title) that the first message titles when untitled', async () => {
      const res = await t.request('/api/conversations', { method: 'POST', token: me, json: {} });
      expect(res.status).toBe(201);
      const made = await res.json();
      expect(made).toMatchObject({ title: null, lastMessage: null });
      expect(made.lastActivityAt).toBe(made.createdAt);
      const titled = await (await t.request('/api/conversations', { method: 'POST', token: me, json: { title: '  Billing  ' } })).json();
      expect(titled.title).toBe('Billing');

      await t.send(me, { conversationId: made.id, content: 'Where is my parcel?', idempotencyKey: key() });
      await t.send(me, { conversationId: titled.id, content: 'Invoice please', idempotencyKey: key() });
      const listed = (await list(me)).body.conversations;
      expect(listed.find((c: { id: string }) => c.id === made.id).title).toBe('Where is my parcel?');
      expect(listed.find((c: { id: string }) => c.id === titled.id).title).toBe('Billing');
      // An empty body works too.
      expect((await t.request('/api/conversations', { method: 'POST', token: me })).status).toBe(201);
    });

    it('counts creates, renames, deletes and ratings against RATE_LIMIT_MANAGE_PER_VISITOR', async () => {
      const limited = await testApp(db, { RATE_LIMIT_MANAGE_PER_VISITOR: '2' });
      const v = (await limited.visitor()).token;
      const made = await (await limited.request('/api/conversations', { method: 'POST', token: v, json: {} })).json();
      expect((await limited.request(`/api/conversations/${made.id}`, { method: 'PATCH', token: v, json: { title: 'x' } })).status).toBe(
        200,
      );
      const refused = await limited.request('/api/conversations', { method: 'POST', token: v, json: {} });
      expect([refused.status, (await refused.json()).error.code]).toEqual([429, 'rate_limited']);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      // Reading the list is not limited.
      expect((await limited.request('/api/conversations', { token: v })).status).toBe(200);
    });

    it('answers 400 for a title over 200 characters or an unknown field', async () => {
      for (const json of [{ title: 'x'.repeat(201) }, { title: 3 }, { name: 'x' }]) {
        const res = await t.request('/api/conversations', { method: 'POST', token: me, json });
        expect([res.status, (await res.json()).error.code]).toEqual([400, 'invalid_input']);
      }
    });
  });

  describe('PATCH /api/conversations/:id', () => {
    it('renames (trimmed), clears with null or blank, and answers the listed line', async () => {
      const { body } = await t.send(me, { content: 'Rename me', idempotencyKey: key() });
      const path = `/api/conversations/${body.conversationId}`;
      const renamed = await t.request(path, { method: 'PATCH', token: me, json: { title: '  Returns  ' } });
      expect(renamed.status).toBe(200);
      expect(await renamed.json()).toMatchObject({ id: body.conversationId, title: 'Returns', lastMessage: { content: 'Rename me' } });
      expect((await (await t.request(path, { method: 'PATCH', token: me, json: { title: '   ' } })).json()).title).toBeNull();
      expect((await (await t.request(path, { method: 'PATCH', token: me, json: { title: null } })).json()).title).toBeNull();
    });

    it('answers 404 for another visitor’s, an unknown or a malformed id (changing nothing), 400 for a bad body', async () => {
      const { body } = await t.send(me, { content: 'Mine', idempotencyKey: key() });
      for (const [token, id] of [
        [other, body.conversationId],
        [me, '00000000-0000-4000-8000-000000000000'],
        [me, 'nope'],
      ]) {
        const res = await t.request(`/api/conversations/${id}`, { method: 'PATCH', token, json: { title: 'Taken' } });
        expect(res.status).toBe(404);
        expect((await res.json()).error).toEqual({ code: 'not_found', message: 'conversation not found' });
      }
      expect((await list(me)).body.conversations.find((c: { id: string }) => c.id === body.conversationId).title).toBe('Mine');
      for (const json of [{}, { title: 'x'.repeat(201) }, { title: 'ok', extra: 1 }]) {
        const res = await t.request(`/api/conversations/${body.conversationId}`, { method: 'PATCH', token: me, json });
        expect(res.status).toBe(400);
      }
    });
  });

  describe('DELETE /api/conversations/:id', () => {
    it('stops the reply in flight, then removes the conversation, its messages and tasks; nothing is readable after', async () => {
      const v = (await t.visitor()).token;
      const first = await t.send(v, { content: 'Delete me', idempotencyKey: key() });
      const id = first.body.conversationId;
      await reply(db, first.body.task.id, 'An answer');
      const second = await t.send(v, { conversationId: id, content: 'And this', idempotencyKey: key() });
      // The second reply is being made: claimed and started by a worker.
      const attempt = await db.asWorker(async (tx) => {
        const { rows } = await tx.query<{ id: string; attempt: number }>('select id, attempt from public.task_claim(100)');
        const a = rows.find((r) => r.id === second.body.task.id)!.attempt;
        await tx.query('select public.task_start($1::uuid, $2::int)', [second.body.task.id, a]);
        return a;
      });
      const stream = readSse(await t.request(`/api/conversations/${id}/stream`, { token: v }));
      await stream.next((e) => e.event === 'snapshot');
      // A stream of the first reply's task, finished long ago.
      const taskStream = readSse(await t.request(`/api/tasks/${first.body.task.id}/stream`, { token: v }));
      await taskStream.next((e) => e.event === 'snapshot');

      const res = await t.request(`/api/conversations/${id}`, { method: 'DELETE', token: v });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id, deleted: true });

      // The open streams end; the worker's late report changes nothing and writes no reply.
      await stream.drain();
      expect(stream.done).toBe(true);
      await taskStream.drain();
      expect(taskStream.done).toBe(true);
      const late = await db.asWorker((tx) =>
        tx.query<{ ok: boolean }>('select public.task_complete($1::uuid, $2::int, $3::jsonb) as ok', [
          second.body.task.id,
          attempt,
          '{"content":"late"}',
        ]),
      );
      expect(late.rows[0]!.ok).toBe(false);
      const left = await db.asService((tx) =>
        tx.query<{ n: number }>(
          `select (select count(*) from public.chat_messages where conversation_id = $1::uuid)
                + (select count(*) from public.async_tasks where conversation_id = $1::uuid)
                + (select count(*) from public.conversations where id = $1::uuid) as n`,
          [id],
        ),
      );
      expect(Number(left.rows[0]!.n)).toBe(0);
      for (const path of [`/api/conversations/${id}`, `/api/conversations/${id}/stream`, `/api/tasks/${first.body.task.id}`]) {
        expect((await t.request(path, { token: v })).status).toBe(404);
      }
      expect((await list(v)).body.conversations).toEqual([]);
      // Sending into it is refused as for any unknown conversation.
      expect((await t.send(v, { conversationId: id, content: 'hello?', idempotencyKey: key() })).status).toBe(404);
    });

    it('answers 404 for another visitor’s, an unknown or a malformed id, and deletes nothing', async () => {
      const { body } = await t.send(me, { content: 'Keep me', idempotencyKey: key() });
      for (const [token, id] of [
        [other, body.conversationId],
        [me, '00000000-0000-4000-8000-000000000000'],
        [me, 'x'],
      ]) {
        const res = await t.request(`/api/conversations/${id}`, { method: 'DELETE', token });
        expect(res.status).toBe(404);
        expect((await res.json()).error).toEqual({ code: 'not_found', message: 'conversation not found' });
      }
      expect((await t.request(`/api/conversations/${body.conversationId}`, { token: me })).status).toBe(200);
    });
  });
});
