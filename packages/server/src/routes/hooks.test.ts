import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';
import { signWebhook } from '../webhooks/standard-webhooks.js';
import { taskCallbackId } from '../webhooks/task-callback-id.js';

const SECRET = `whsec_${Buffer.from('a-shared-webhook-secret-for-tests').toString('base64')}`;
let db: Database;
let t: TestApp;
const clock = Date.now();

beforeAll(async () => {
  db = await memoryDatabase();
  t = await testApp(db, { WEBHOOK_SECRET: SECRET }, { now: () => clock });
});
afterAll(() => db.close());

async function claimedTask() {
  const v = await t.visitor();
  const res = await t.request('/api/tasks', { method: 'POST', token: v.token, json: { kind: 'hooked', input: {}, idempotencyKey: key() } });
  const task = await res.json();
  await db.asWorker((tx) => tx.query("select task_claim(100, array['hooked'])"));
  return task.id as string;
}

/** Headers of a callback signed for `taskId` and the body's attempt, as a worker sends them. */
const signedFor = (taskId: string, raw: string) =>
  signWebhook(SECRET, raw, { now: clock, id: taskCallbackId(taskId, (JSON.parse(raw) as { attempt?: number }).attempt ?? 1) });
const call = (taskId: string, body: unknown, headers?: Record<string, string>) => {
  const raw = JSON.stringify(body);
  return t.request(`/api/hooks/tasks/${taskId}`, {
    method: 'POST',
    body: raw,
    headers: { 'content-type': 'application/json', ...(headers ?? signedFor(taskId, raw)) },
  });
};
const status = async (id: string) =>
  (
    await db.asService((tx) =>
      tx.query<{ status: string; status_message: string | null; result: unknown; partial_text: string | null }>(
        'select status, status_message, result, partial_text from async_tasks where id = $1',
        [id],
      ),
    )
  ).rows[0]!;

describe('POST /api/hooks/tasks/:id', () => {
  it('applies signed progress and complete callbacks', async () => {
    const id = await claimedTask();
    const progress = await call(id, { type: 'progress', attempt: 1, statusMessage: 'Drafting…' });
    expect(progress.status).toBe(200);
    expect(await progress.json()).toEqual({ ok: true, applied: true });
    expect(await status(id)).toMatchObject({ status: 'processing', status_message: 'Drafting…' });
    await call(id, { type: 'complete', attempt: 1, result: { draft: 'Hi' } });
    expect(await status(id)).toMatchObject({ status: 'completed', result: { draft: 'Hi' } });
  });

  it('ignores a callback for another attempt', async () => {
    const id = await claimedTask();
    const res = await call(id, { type: 'progress', attempt: 7, statusMessage: 'stale' });
    expect(await res.json()).toEqual({ ok: true, applied: false });
    expect((await status(id)).status_message).toBeNull();
  });

  it('rejects a wrong signature with 401 and changes nothing', async () => {
    const id = await claimedTask();
    const raw = JSON.stringify({ type: 'progress', attempt: 1, statusMessage: 'forged' });
    const headers = signWebhook(`whsec_${Buffer.from('another-secret').toString('base64')}`, raw, {
      now: clock,
      id: taskCallbackId(id, 1),
    });
    const res = await call(id, JSON.parse(raw), headers);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('invalid_signature');
    expect((await status(id)).status_message).toBeNull();
  });

  it('rejects a body changed after signing', async () => {
    const id = await claimedTask();
    const headers = signedFor(id, JSON.stringify({ type: 'progress', attempt: 1, statusMessage: 'original' }));
    const res = await call(id, { type: 'progress', attempt: 1, statusMessage: 'tampered' }, headers);
    expect(res.status).toBe(401);
  });

  it('rejects a timestamp more than 5 minutes off', async () => {
    const id = await claimedTask();
    const raw = JSON.stringify({ type: 'progress', attempt: 1, statusMessage: 'late' });
    const res = await call(id, JSON.parse(raw), signWebhook(SECRET, raw, { now: clock - 6 * 60_000, id: taskCallbackId(id, 1) }));
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/timestamp/);
  });

  it('rejects a replayed webhook-id', async () => {
    const id = await claimedTask();
    const raw = JSON.stringify({ type: 'progress', attempt: 1, statusMessage: 'once' });
    const headers = signedFor(id, raw);
    expect((await call(id, JSON.parse(raw), headers)).status).toBe(200);
    const replay = await call(id, JSON.parse(raw), headers);
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.code).toBe('replayed');
  });

  it('rejects a replay that reaches another instance (the ids live in the database)', async () => {
    const id = await claimedTask();
    const other = await testApp(db, { WEBHOOK_SECRET: SECRET }, { now: () => clock });
    const raw = JSON.stringify({ type: 'progress', attempt: 1, statusMessage: 'here' });
    const headers = signedFor(id, raw);
    expect((await call(id, JSON.parse(raw), headers)).status).toBe(200);
    const replay = await other.request(`/api/hooks/tasks/${id}`, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', ...headers },
    });
    expect(replay.status).toBe(401);
  });

  it("refuses a callback signed for task B sent to task A's path, and changes neither", async () => {
    const a = await claimedTask();
    const b = await claimedTask();
    const raw = JSON.stringify({ type: 'complete', attempt: 1, result: { content: "B's reply" } });
    const res = await call(a, JSON.parse(raw), signedFor(b, raw));
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: 'invalid_signature', message: expect.stringMatching(/webhook-id/) });
    expect(await status(a)).toMatchObject({ status: 'pending', result: null });
    expect(await status(b)).toMatchObject({ status: 'pending', result: null });
    // The refused id was not recorded: the genuine callback for B still applies.
    const genuine = await call(b, JSON.parse(raw), signedFor(b, raw));
    expect(await genuine.json()).toEqual({ ok: true, applied: true });
  });

  it.each([
    ['signed for another attempt', (id: string) => taskCallbackId(id, 2)],
    ['an id that names no task', () => 'msg_2b7e3c1a-5d4f-4e6a-9b8c-7d6e5f4a3b2c'],
    ['the task id without an attempt', (id: string) => id],
    ['an attempt that is not a number', (id: string) => `${id}.one.abc`],
  ])('refuses a callback whose webhook-id is %s (401, nothing changes)', async (_, idFor) => {
    const id = await claimedTask();
    const raw = JSON.stringify({ type: 'progress', attempt: 1, statusMessage: 'unbound' });
    const res = await call(id, JSON.parse(raw), signWebhook(SECRET, raw, { now: clock, id: idFor(id) }));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('invalid_signature');
    expect((await status(id)).status_message).toBeNull();
  });

  it('validates the body after the signature', async () => {
    const id = await claimedTask();
    const res = await call(id, { type: 'explode', attempt: 1 });
    expect(res.status).toBe(400);
  });

  it('applies output callbacks: appended, and with replace started over', async () => {
    const id = await claimedTask();
    expect(await (await call(id, { type: 'output', attempt: 1, text: 'Hel' })).json()).toEqual({ ok: true, applied: true });
    await call(id, { type: 'output', attempt: 1, text: 'lo' });
    expect(await status(id)).toMatchObject({ status: 'processing', partial_text: 'Hello' });
    await call(id, { type: 'output', attempt: 1, text: 'Hi again', replace: true });
    expect((await status(id)).partial_text).toBe('Hi again');
  });

  it('refuses an output callback for another attempt (applied: false, nothing written)', async () => {
    const id = await claimedTask();
    await call(id, { type: 'output', attempt: 1, text: 'mine' });
    const res = await call(id, { type: 'output', attempt: 2, text: ' stale' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, applied: false });
    expect((await status(id)).partial_text).toBe('mine');
  });

  it.each([
    ['text is not a string', { type: 'output', attempt: 1, text: 42 }, /text/],
    ['text is missing', { type: 'output', attempt: 1 }, /text/],
    ['replace is not a boolean', { type: 'output', attempt: 1, text: 'a', replace: 'yes' }, /replace/],
    ['an unknown field', { type: 'output', attempt: 1, text: 'a', append: true }, /append|unrecognized/i],
    ['text over 16000 characters', { type: 'output', attempt: 1, text: 'x'.repeat(16_001) }, /16000/],
    ['attempt 0', { type: 'output', attempt: 0, text: 'a' }, /attempt/],
    ['partialText is not a string', { type: 'cancel', attempt: 1, partialText: ['a'] }, /partialText/],
  ])('answers 400 invalid_input when %s, and writes nothing', async (_, body, message) => {
    const id = await claimedTask();
    const res = await call(id, body);
    expect(res.status).toBe(400);
    const error = (await res.json()).error;
    expect(error.code).toBe('invalid_input');
    expect(error.message).toMatch(message);
    expect((await status(id)).partial_text).toBeNull();
  });

  it('answers 413 when the appended text would pass 16,000 characters', async () => {
    const id = await claimedTask();
    await call(id, { type: 'output', attempt: 1, text: 'x'.repeat(15_000) });
    const res = await call(id, { type: 'output', attempt: 1, text: 'y'.repeat(1_001) });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
    expect((await status(id)).partial_text).toHaveLength(15_000);
  });

  it('a cancel acknowledgement keeps the partial text it carries', async () => {
    const id = await claimedTask();
    await call(id, { type: 'output', attempt: 1, text: 'Half a' });
    await db.asService((tx) => tx.query('update async_tasks set cancel_requested = true where id = $1', [id]));
    const res = await call(id, { type: 'cancel', attempt: 1, partialText: 'Half a reply' });
    expect(await res.json()).toEqual({ ok: true, applied: true });
    expect(await status(id)).toMatchObject({ status: 'cancelled', partial_text: 'Half a reply' });
  });
});
