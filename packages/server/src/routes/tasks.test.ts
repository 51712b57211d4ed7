import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { readSse } from '../../test/support/sse-reader.js';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';

let db: Database;
let t: TestApp;
let token: string;
beforeAll(async () => {
  db = await memoryDatabase();
  t = await testApp(db);
  token = (await t.visitor()).token;
});
afterAll(() => db.close());

const create = (body: unknown, auth = token) => t.request('/api/tasks', { method: 'POST', token: auth, json: body });

describe('generic tasks', () => {
  it('creates a task (201), and answers 200 with the same task for the same key', async () => {
    const k = key();
    const res = await create({ kind: 'email.draft', input: { to: 'a@b.c' }, idempotencyKey: k, maxAttempts: 5, timeoutSeconds: 30 });
    expect(res.status).toBe(201);
    const task = await res.json();
    expect(task).toMatchObject({ kind: 'email.draft', status: 'pending', maxAttempts: 5, conversationId: null, attempt: 0 });
    const again = await create({ kind: 'email.draft', input: { to: 'a@b.c' }, idempotencyKey: k });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(task.id);
    const read = await t.request(`/api/tasks/${task.id}`, { token });
    expect(await read.json()).toEqual(task);
  });

  it.each([
    [{ kind: 'chat.reply', input: {}, idempotencyKey: 'k' }, /reserved/],
    [{ kind: 'Bad Kind', input: {}, idempotencyKey: 'k' }, /kind/],
    [{ kind: 'x', idempotencyKey: 'k' }, /input/],
    [{ kind: 'x', input: {}, idempotencyKey: 'k', maxAttempts: 0 }, /maxAttempts/],
    [{ kind: 'x', input: {}, idempotencyKey: 'k', priority: 1 }, /unknown field: priority/],
  ])('refuses %j', async (body, message) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(message);
  });

  it('cancels a pending task at once and then leaves it alone', async () => {
    const task = await (await create({ kind: 'x', input: {}, idempotencyKey: key() })).json();
    const res = await t.request(`/api/tasks/${task.id}/cancel`, { method: 'POST', token, json: {} });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'cancelled' });
    const retry = await t.request(`/api/tasks/${task.id}/retry`, { method: 'POST', token });
    expect(await retry.json()).toMatchObject({ status: 'cancelled' });
  });

  it('retries a failed task', async () => {
    const task = await (await create({ kind: 'x', input: {}, idempotencyKey: key(), maxAttempts: 1 })).json();
    await db.asWorker(async (tx) => {
      await tx.query("select task_claim(10, array['x'])");
      await tx.query("select task_fail($1, 1, 'boom', 'it broke', false)", [task.id]);
    });
    const res = await t.request(`/api/tasks/${task.id}/retry`, { method: 'POST', token, json: {} });
    expect(await res.json()).toMatchObject({ status: 'pending', maxAttempts: 2 });
  });

  it('streams a task: snapshot then changes', async () => {
    const task = await (await create({ kind: 'y', input: {}, idempotencyKey: key() })).json();
    const sse = readSse(await t.request(`/api/tasks/${task.id}/stream`, { token }));
    const snapshot = await sse.next();
    expect(snapshot).toMatchObject({ event: 'snapshot', data: { id: task.id, status: 'pending' } });
    await db.asWorker(async (tx) => {
      await tx.query("select task_claim(10, array['y'])");
      await tx.query("select task_progress($1, 1, 'Halfway')", [task.id]);
    });
    const change = await sse.find((e) => e.event === 'task' && e.data.statusMessage === 'Halfway');
    expect(Number(change.id)).toBeGreaterThan(Number(snapshot.id));
    await sse.close();
  });
});
