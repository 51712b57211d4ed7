import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';

let db: Database;
let t: TestApp;
let token: string;
beforeAll(async () => {
  db = await memoryDatabase();
  t = await testApp(db, { BODY_LIMIT_BYTES: '4096' });
  token = (await t.visitor()).token;
});
afterAll(() => db.close());

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }, auth = token) =>
  t.request('/api/chat/send', { method: 'POST', token: auth, body, headers });

describe('POST /api/chat/send', () => {
  it('stores the message and a pending chat.reply task in a new conversation', async () => {
    const { status, body } = await t.send(token, { content: 'Hello', idempotencyKey: key() });
    expect(status).toBe(201);
    expect(body.message).toMatchObject({ role: 'user', content: 'Hello', conversationId: body.conversationId, asyncTaskId: body.task.id });
    expect(body.task).toMatchObject({
      kind: 'chat.reply',
      status: 'pending',
      conversationId: body.conversationId,
      attempt: 0,
      maxAttempts: 3,
      version: 1,
    });
    expect(typeof body.message.seq).toBe('number');
  });

  it('adds to an existing conversation', async () => {
    const first = await t.send(token, { content: 'one', idempotencyKey: key() });
    const second = await t.send(token, { conversationId: first.body.conversationId, content: 'two', idempotencyKey: key() });
    expect(second.status).toBe(201);
    expect(second.body.conversationId).toBe(first.body.conversationId);
  });

  it('answers 200 with the same message and task when the idempotency key repeats', async () => {
    const k = key();
    const first = await t.send(token, { content: 'once', idempotencyKey: k });
    const again = await t.send(token, { content: 'once', idempotencyKey: k });
    expect(again.status).toBe(200);
    expect(again.body.message.id).toBe(first.body.message.id);
    expect(again.body.task.id).toBe(first.body.task.id);
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from chat_messages where async_task_id = $1', [
      first.body.task.id,
    ]);
    expect(rows[0]!.n).toBe(1);
  });

  it.each([
    ['malformed JSON', '{"content": "hi",', 400, 'malformed_json'],
    ['an unknown field', JSON.stringify({ content: 'hi', idempotencyKey: 'k', role: 'system' }), 400, 'invalid_input'],
    ['a wrong type', JSON.stringify({ content: 42, idempotencyKey: 'k' }), 400, 'invalid_input'],
    ['a missing key', JSON.stringify({ content: 'hi' }), 400, 'invalid_input'],
    ['blank content', JSON.stringify({ content: '   ', idempotencyKey: 'k' }), 400, 'invalid_input'],
    ['a malformed conversation id', JSON.stringify({ conversationId: 'abc', content: 'hi', idempotencyKey: 'k' }), 400, 'invalid_input'],
    ['an array body', '[]', 400, 'invalid_input'],
    ['an oversized body', JSON.stringify({ content: 'x'.repeat(5000), idempotencyKey: 'k' }), 413, 'payload_too_large'],
  ])('answers %s with a 4xx and a code, storing nothing', async (_name, body, status, code) => {
    const before = await db.query<{ n: number }>('select count(*)::int as n from chat_messages');
    const res = await post(body);
    expect(res.status).toBe(status);
    const json = await res.json();
    expect(json.error.code).toBe(code);
    expect(json.error.message).toEqual(expect.any(String));
    const after = await db.query<{ n: number }>('select count(*)::int as n from chat_messages');
    expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
  });

  it('names the unknown field', async () => {
    const res = await post(JSON.stringify({ content: 'hi', idempotencyKey: 'k', extra: 1 }));
    expect((await res.json()).error.message).toBe('unknown field: extra');
  });

  it('refuses content over 16000 characters with a message naming the limit', async () => {
    const big = await testApp(db, { BODY_LIMIT_BYTES: String(64 * 1024) });
    const res = await big.request('/api/chat/send', {
      method: 'POST',
      token,
      json: { content: 'x'.repeat(16_001), idempotencyKey: key() },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/16000/);
  });

  it('wants JSON', async () => {
    const res = await post('content=hi', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
  });

  it('answers 401 without a token and with a forged one', async () => {
    const none = await t.request('/api/chat/send', { method: 'POST', json: { content: 'hi', idempotencyKey: key() } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    const [h, p] = token.split('.');
    const forged = await post(
      JSON.stringify({ content: 'hi', idempotencyKey: key() }),
      { 'content-type': 'application/json' },
      `${h}.${p}.AAAA`,
    );
    expect(forged.status).toBe(401);
  });

  it("answers 404 for another visitor's conversation, the same as for an unknown one", async () => {
    const other = await t.visitor();
    const mine = await t.send(token, { content: 'mine', idempotencyKey: key() });
    const foreign = await t.send(other.token, { conversationId: mine.body.conversationId, content: 'intrude', idempotencyKey: key() });
    const unknown = await t.send(other.token, {
      conversationId: '00000000-0000-4000-8000-000000000000',
      content: 'x',
      idempotencyKey: key(),
    });
    expect(foreign).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'conversation not found' } } });
    expect(unknown).toEqual(foreign);
  });
});
