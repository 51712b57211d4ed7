import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { engines, key, testApp } from './support/test-app.js';

// The operator's bounds on generic tasks, below the database's own (50 attempts, 64 KB).
describe.each(engines)('generic task limits, on $engine', ({ open }) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(() => db.close());

  const taskCount = async () => (await db.query<{ n: number }>('select count(*)::int as n from public.async_tasks')).rows[0]!.n;

  it('refuses more attempts than MAX_TASK_ATTEMPTS (10 by default), so 50 attempts a task are not to be had', async () => {
    const t = await testApp(db);
    const { token } = await t.visitor();
    const res = await t.request('/api/tasks', {
      method: 'POST',
      token,
      json: { kind: 'x.y', input: {}, idempotencyKey: key(), maxAttempts: 50 },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ code: 'invalid_input', message: 'maxAttempts: must be at most 10' });
    const ok = await t.request('/api/tasks', {
      method: 'POST',
      token,
      json: { kind: 'x.y', input: {}, idempotencyKey: key(), maxAttempts: 10 },
    });
    expect(await ok.json()).toMatchObject({ maxAttempts: 10 });
  });

  it('gives a task that does not say 3 attempts, or the lower maximum', async () => {
    const t = await testApp(db, { MAX_TASK_ATTEMPTS: '2' });
    const { token } = await t.visitor();
    const res = await t.request('/api/tasks', { method: 'POST', token, json: { kind: 'x.y', input: {}, idempotencyKey: key() } });
    expect(await res.json()).toMatchObject({ maxAttempts: 2 });
    const usual = await testApp(db);
    const other = await usual.visitor();
    const res3 = await usual.request('/api/tasks', {
      method: 'POST',
      token: other.token,
      json: { kind: 'x.y', input: {}, idempotencyKey: key() },
    });
    expect(await res3.json()).toMatchObject({ maxAttempts: 3 });
  });

  it('refuses an input over MAX_TASK_INPUT_BYTES (16 KB by default) with 413, storing nothing; takes one of exactly that size', async () => {
    const t = await testApp(db);
    const { token } = await t.visitor();
    // {"note":"…"} is 11 bytes around the text; é is 2 bytes in UTF-8.
    const input = (bytes: number) => ({ note: 'é'.repeat(Math.floor((bytes - 11) / 2)) + 'x'.repeat((bytes - 11) % 2) });
    expect(JSON.stringify(input(16_384)).length).toBeLessThan(16_384);
    const before = await taskCount();
    const over = await t.request('/api/tasks', {
      method: 'POST',
      token,
      json: { kind: 'x.y', input: input(16_385), idempotencyKey: key() },
    });
    expect(over.status).toBe(413);
    expect((await over.json()).error).toEqual({
      code: 'payload_too_large',
      message: 'input: at most 16384 bytes as JSON text (got 16385)',
    });
    expect(await taskCount()).toBe(before);
    const exact = await t.request('/api/tasks', {
      method: 'POST',
      token,
      json: { kind: 'x.y', input: input(16_384), idempotencyKey: key() },
    });
    expect(exact.status).toBe(201);
  });

  it('an operator can lower the input size', async () => {
    const t = await testApp(db, { MAX_TASK_INPUT_BYTES: '100' });
    const { token } = await t.visitor();
    const res = await t.request('/api/tasks', {
      method: 'POST',
      token,
      json: { kind: 'x.y', input: { a: 'x'.repeat(100) }, idempotencyKey: key() },
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.message).toBe('input: at most 100 bytes as JSON text (got 108)');
  });
});
