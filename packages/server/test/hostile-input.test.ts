import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { databaseErrorToApiError } from '../src/http/database-error.js';
import { createLogger } from '../src/logger.js';
import { signWebhook } from '../src/webhooks/standard-webhooks.js';
import { taskCallbackId } from '../src/webhooks/task-callback-id.js';
import { engines, key, testApp, type TestApp } from './support/test-app.js';

/** `[[[…1…]]]`, `levels` arrays deep. */
const nested = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
};

/** Row counts of what these endpoints write (as the owner: RLS does not hide any). */
const counts = async (db: Database) =>
  (
    await db.query<{ c: number; m: number; t: number }>(
      `select (select count(*)::int from public.conversations) as c, (select count(*)::int from public.chat_messages) as m,
              (select count(*)::int from public.async_tasks) as t`,
    )
  ).rows[0];

const SECRET = 'hostile-input-webhook-secret-hostile-input';

describe.each(engines)('input the database cannot store, on $engine', ({ open }) => {
  let db: Database;
  let t: TestApp;
  let token: string;
  const errorLines: string[] = [];

  beforeAll(async () => {
    db = await open();
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of chunk.toString().trim().split('\n')) if (JSON.parse(line).level >= 50) errorLines.push(line);
        done();
      },
    });
    t = await testApp(db, { WEBHOOK_SECRET: SECRET }, { logger: createLogger('info', sink) });
    token = (await t.visitor()).token;
  });
  afterAll(() => db.close());

  const post = (path: string, json: unknown) => t.request(path, { method: 'POST', token, json });

  it.each([
    ['a NUL in content', '/api/chat/send', () => ({ content: 'a\u0000b', idempotencyKey: key() }), /^content: .*NUL character/],
    [
      'a NUL in the idempotency key',
      '/api/chat/send',
      () => ({ content: 'hi', idempotencyKey: `k\u0000${key()}` }),
      /^idempotencyKey: .*NUL/,
    ],
    [
      'a lone high surrogate in content',
      '/api/chat/send',
      () => ({ content: 'a\ud800b', idempotencyKey: key() }),
      /^content: .*lone surrogate/,
    ],
    [
      'a lone low surrogate in the key',
      '/api/chat/send',
      () => ({ content: 'hi', idempotencyKey: `\udc00${key()}` }),
      /^idempotencyKey: .*lone surrogate/,
    ],
    [
      'a NUL in a task input string',
      '/api/tasks',
      () => ({ kind: 'x.y', input: { note: ['ok', 'a\u0000'] }, idempotencyKey: key() }),
      /^input\.note\.1: .*NUL/,
    ],
    [
      'a NUL in a task input field name',
      '/api/tasks',
      () => ({ kind: 'x.y', input: { 'a\u0000': 1 }, idempotencyKey: key() }),
      /^input: a field name .*NUL/,
    ],
    [
      'a lone surrogate in a task input',
      '/api/tasks',
      () => ({ kind: 'x.y', input: { a: '\ud800' }, idempotencyKey: key() }),
      /^input\.a: .*lone surrogate/,
    ],
    [
      'a NUL in a task idempotency key',
      '/api/tasks',
      () => ({ kind: 'x.y', input: {}, idempotencyKey: `a\u0000${key()}` }),
      /^idempotencyKey: .*NUL/,
    ],
    [
      'task input nested 3000 levels',
      '/api/tasks',
      () => ({ kind: 'x.y', input: nested(3000), idempotencyKey: key() }),
      /^input: nests deeper than 32 levels/,
    ],
    [
      'task input one level too deep',
      '/api/tasks',
      () => ({ kind: 'x.y', input: nested(32), idempotencyKey: key() }),
      /^input: nests deeper than 32 levels/,
    ],
    ['a body nested 3000 levels', '/api/chat/send', () => nested(3000), /^body: nests deeper than 32 levels/],
  ])('%s is a 400 naming the field and the rule, and nothing is written', async (_name, path, body, message) => {
    const before = await counts(db);
    const res = await post(path, body());
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json).toEqual({ error: { code: 'invalid_input', message: expect.stringMatching(message) } });
    expect(await counts(db)).toEqual(before);
    expect(errorLines).toEqual([]);
  });

  it('takes a task input nested as deep as allowed (31 levels inside the body) and surrogate pairs', async () => {
    const res = await post('/api/tasks', { kind: 'x.y', input: { deep: nested(30), emoji: '\ud83d\ude00' }, idempotencyKey: key() });
    expect(res.status).toBe(201);
    const res2 = await post('/api/chat/send', { content: 'smile \ud83d\ude00', idempotencyKey: key() });
    expect(res2.status).toBe(201);
    expect((await res2.json()).message.content).toBe('smile \ud83d\ude00');
  });

  describe('in signed callbacks (a worker that relays what a model wrote)', () => {
    let taskId: string;
    beforeAll(async () => {
      const res = await post('/api/tasks', { kind: 'hooked', input: {}, idempotencyKey: key() });
      taskId = (await res.json()).id;
      await db.asWorker((tx) => tx.query("select task_claim(10, array['hooked'])"));
    });
    const callback = (body: unknown) => {
      const raw = JSON.stringify(body);
      return t.request(`/api/hooks/tasks/${taskId}`, {
        method: 'POST',
        body: raw,
        headers: { 'content-type': 'application/json', ...signWebhook(SECRET, raw, { id: taskCallbackId(taskId, 1) }) },
      });
    };

    it.each([
      [
        'a result nested 3000 levels',
        () => ({ type: 'complete', attempt: 1, result: nested(3000) }),
        /^result: nests deeper than 32 levels/,
      ],
      ['a NUL in a status message', () => ({ type: 'progress', attempt: 1, statusMessage: 'a\u0000' }), /^statusMessage: .*NUL/],
      ['a lone surrogate in streamed text', () => ({ type: 'output', attempt: 1, text: 'a\ud800' }), /^text: .*lone surrogate/],
      [
        'a NUL in error details',
        () => ({ type: 'fail', attempt: 1, error: { code: 'x', message: 'y', details: { a: '\u0000' } } }),
        /^error\.details\.a: .*NUL/,
      ],
    ])('%s is a 400 naming the field, and the task is untouched', async (_name, body, message) => {
      const before = await db.query<{ version: number }>('select version from public.async_tasks where id = $1', [taskId]);
      const res = await callback(body());
      expect(res.status).toBe(400);
      expect((await res.json()).error).toEqual({ code: 'invalid_input', message: expect.stringMatching(message) });
      expect((await db.query('select version from public.async_tasks where id = $1', [taskId])).rows).toEqual(before.rows);
      expect(errorLines).toEqual([]);
    });
  });

  describe('the database refusing the same values itself maps to a 4xx (the second line)', () => {
    const asVisitor = async (sql: string, params: unknown[]) => {
      try {
        await db.asUser({ sub: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', role: 'authenticated' }, (tx) => tx.query(sql, params));
      } catch (error) {
        return databaseErrorToApiError(error);
      }
      throw new Error('the database took it');
    };

    it('a NUL in text (22021)', async () => {
      const api = await asVisitor('select public.send_chat_message(null, $1, $2)', ['a\u0000b', key()]);
      expect(api).toMatchObject({ status: 400, code: 'invalid_input', message: expect.stringMatching(/NUL/) });
    });

    it('\\u0000 in jsonb (22P05)', async () => {
      const api = await asVisitor(`select public.create_task('x.y', $1::jsonb, $2)`, ['{"a":"\\u0000"}', key()]);
      expect(api).toMatchObject({ status: 400, code: 'invalid_input' });
    });

    it('an unpaired surrogate escape in jsonb', async () => {
      const api = await asVisitor(`select public.create_task('x.y', $1::jsonb, $2)`, ['{"a":"\\ud800"}', key()]);
      expect(api).toMatchObject({ status: 400, code: 'invalid_input' });
    });
  });
});
