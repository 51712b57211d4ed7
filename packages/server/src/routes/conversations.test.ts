import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { readSse } from '../../test/support/sse-reader.js';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';
import { createEventHub } from '../events/event-hub.js';

let db: Database;
let t: TestApp;
let token: string;
beforeAll(async () => {
  db = await memoryDatabase();
  t = await testApp(db);
  token = (await t.visitor()).token;
});
afterAll(() => db.close());

/** Completes a chat task as the worker would (claim, start, complete). */
async function reply(taskId: string, content: string) {
  await db.asWorker(async (tx) => {
    const { rows } = await tx.query<{ id: string; attempt: number }>('select id, attempt from task_claim(10)');
    const task = rows.find((r) => r.id === taskId)!;
    await tx.query('select task_start($1, $2, null, $3)', [taskId, task.attempt, 'Reading the conversation…']);
    await tx.query('select task_complete($1, $2, $3::jsonb)', [taskId, task.attempt, JSON.stringify({ content })]);
  });
}

describe('GET /api/conversations/:id', () => {
  it('returns messages oldest first with their tasks, paged by seq', async () => {
    const first = await t.send(token, { content: 'm1', idempotencyKey: key() });
    const id = first.body.conversationId;
    await reply(first.body.task.id, 'r1');
    await t.send(token, { conversationId: id, content: 'm2', idempotencyKey: key() });

    const res = await t.request(`/api/conversations/${id}`, { token });
    expect(res.status).toBe(200);
    const page = await res.json();
    expect(page.conversationId).toBe(id);
    expect(page.messages.map((m: { content: string }) => m.content)).toEqual(['m1', 'r1', 'm2']);
    expect(page.tasks.map((x: { status: string }) => x.status).sort()).toEqual(['completed', 'pending']);
    expect(page.nextBefore).toBeNull();

    const newest = await (await t.request(`/api/conversations/${id}?limit=2`, { token })).json();
    expect(newest.messages.map((m: { content: string }) => m.content)).toEqual(['r1', 'm2']);
    expect(newest.nextBefore).toBe(newest.messages[0].seq);
    const older = await (await t.request(`/api/conversations/${id}?limit=2&before=${newest.nextBefore}`, { token })).json();
    expect(older.messages.map((m: { content: string }) => m.content)).toEqual(['m1']);
    expect(older.nextBefore).toBeNull();
  });

  it('answers 400 for a bad limit', async () => {
    const { body } = await t.send(token, { content: 'x', idempotencyKey: key() });
    const res = await t.request(`/api/conversations/${body.conversationId}?limit=0`, { token });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_input');
  });
});

describe('GET /api/conversations/:id/stream', () => {
  it('sends the snapshot, then task and message events with seq ids as the worker goes', async () => {
    const sent = await t.send(token, { content: 'stream me', idempotencyKey: key() });
    const id = sent.body.conversationId;
    const res = await t.request(`/api/conversations/${id}/stream`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const sse = readSse(res);
    const snapshot = await sse.next();
    expect(snapshot.event).toBe('snapshot');
    expect(snapshot.data.messages.map((m: { content: string }) => m.content)).toEqual(['stream me']);
    expect(snapshot.data.tasks[0]).toMatchObject({ id: sent.body.task.id, status: 'pending' });
    expect(Number(snapshot.id)).toBeGreaterThanOrEqual(sent.body.message.seq);

    await reply(sent.body.task.id, 'the answer');
    const message = await sse.find((e) => e.event === 'message');
    expect(message.data).toMatchObject({ role: 'assistant', content: 'the answer', asyncTaskId: sent.body.task.id });
    expect(message.id).toBe(String(message.data.seq));
    const done = await sse.find((e) => e.event === 'task' && e.data.status === 'completed');
    expect(done.data.result).toEqual({ content: 'the answer' });
    expect(Number(done.id)).toBeGreaterThan(Number(snapshot.id));
    await sse.close();
  });

  it('with Last-Event-ID sends only newer messages in the snapshot', async () => {
    const first = await t.send(token, { content: 'old', idempotencyKey: key() });
    const id = first.body.conversationId;
    const second = await t.send(token, { conversationId: id, content: 'new', idempotencyKey: key() });
    const res = await t.request(`/api/conversations/${id}/stream`, { token, headers: { 'last-event-id': String(first.body.message.seq) } });
    const sse = readSse(res);
    const snapshot = await sse.next();
    expect(snapshot.data.messages.map((m: { id: string }) => m.id)).toEqual([second.body.message.id]);
    expect(snapshot.data.tasks).toHaveLength(2); // every non-terminal task
    await sse.close();
  });

  it('with Last-Event-ID also sends tasks that finished after it, even when no message is newer', async () => {
    const sent = await t.send(token, { content: 'reply to me', idempotencyKey: key() });
    const taskId = sent.body.task.id;
    await db.asWorker(async (tx) => {
      const { rows } = await tx.query<{ id: string; attempt: number }>('select id, attempt from public.task_claim(100)');
      const attempt = rows.find((r) => r.id === taskId)!.attempt;
      await tx.query('select public.task_complete($1::uuid, $2::int, $3::jsonb)', [taskId, attempt, { content: 'the reply' }]);
    });
    // task_complete writes the reply before the task's final update: a client that saw the reply
    // message and lost the stream before the task event resumes from the message's seq.
    const read = await (await t.request(`/api/conversations/${sent.body.conversationId}`, { token })).json();
    const reply = read.messages.find((m: { role: string }) => m.role === 'assistant');
    const res = await t.request(`/api/conversations/${sent.body.conversationId}/stream`, {
      token,
      headers: { 'last-event-id': String(reply.seq) },
    });
    const sse = readSse(res);
    const snapshot = await sse.next();
    expect(snapshot.data.messages).toEqual([]);
    expect(snapshot.data.tasks.map((task: { id: string; status: string }) => [task.id, task.status])).toEqual([[taskId, 'completed']]);
    await sse.close();
  });

  it('sends expired and closes when the token expires', async () => {
    const clock = { now: Date.now() };
    const short = await testApp(db, { ACCESS_TOKEN_TTL_SECONDS: '10' }, { now: () => clock.now });
    const v = await short.visitor();
    const { body } = await short.send(v.token, { content: 'x', idempotencyKey: key() });
    clock.now += 8_000; // one to two seconds of validity left
    const sse = readSse(await short.request(`/api/conversations/${body.conversationId}/stream`, { token: v.token }));
    await sse.next((e) => e.event === 'snapshot');
    const expired = await sse.next();
    expect(expired.event).toBe('expired');
    await sse.drain();
    expect(sse.done).toBe(true);
  });

  it('caps open streams per visitor and frees the slot when a stream closes', async () => {
    const capped = await testApp(db, { MAX_STREAMS_PER_VISITOR: '2' });
    const v = await capped.visitor();
    const { body } = await capped.send(v.token, { content: 'x', idempotencyKey: key() });
    const path = `/api/conversations/${body.conversationId}/stream`;
    const first = readSse(await capped.request(path, { token: v.token }));
    const second = readSse(await capped.request(path, { token: v.token }));
    await first.next();
    await second.next();
    const third = await capped.request(path, { token: v.token });
    expect(third.status).toBe(429);
    expect((await third.json()).error.code).toBe('too_many_streams');
    await first.close();
    await expect
      .poll(async () => {
        const res = await capped.request(path, { token: v.token });
        const ok = res.status === 200;
        await res.body?.cancel();
        return ok;
      })
      .toBe(true);
    await second.close();
  });

  it('sends keep-alive comments', async () => {
    // The interval is fixed at 15 s by the contract; the plumbing is shared, so test it directly.
    const { openEventStream } = await import('../events/event-stream.js');
    const { Hono } = await import('hono');
    const app = new Hono().get('/s', (c) =>
      openEventStream(c, { expiresAtMs: Date.now() + 60_000, keepAliveMs: 20, start: async () => () => {} }),
    );
    const sse = readSse(await app.request('/s'));
    const first = sse.next().catch(() => null); // pulls chunks
    await expect.poll(() => sse.comments.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(sse.comments[0]).toBe('keep-alive');
    await sse.close();
    await first;
  });
});

describe('the conversation stream after a LISTEN gap', () => {
  it('on resync sends a reply made and finished entirely within the gap, task included', async () => {
    // A hub with no LISTEN connection: nothing reaches the stream until resync(), as when the
    // database restarted and every notification of the meantime was lost.
    const hub = createEventHub();
    const gap = await testApp(db, {}, { hub });
    const v = await gap.visitor();
    const first = await gap.send(v.token, { content: 'before the gap', idempotencyKey: key() });
    const sse = readSse(await gap.request(`/api/conversations/${first.body.conversationId}/stream`, { token: v.token }));
    await sse.next((e) => e.event === 'snapshot');

    const second = await gap.send(v.token, { conversationId: first.body.conversationId, content: 'during the gap', idempotencyKey: key() });
    const taskId = second.body.task.id;
    // Both replies are made (one at a time: a conversation's replies go in order) while no event flows.
    for (let round = 0; round < 2; round++) {
      await db.asWorker(async (tx) => {
        const { rows } = await tx.query<{ id: string; attempt: number }>('select id, attempt from public.task_claim(100)');
        for (const r of rows)
          await tx.query('select public.task_complete($1::uuid, $2::int, $3::jsonb)', [r.id, r.attempt, { content: `reply ${r.id}` }]);
      });
    }

    hub.resync();
    // Resync sends the new messages first, then the tasks.
    await sse.next((e) => e.event === 'message' && e.data.role === 'assistant' && e.data.asyncTaskId === taskId);
    const done = await sse.next((e) => e.event === 'task' && e.data.id === taskId);
    expect(done.data.status).toBe('completed');
    await sse.close();
  });
});
