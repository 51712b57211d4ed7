import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';
import { signWebhook } from '../webhooks/standard-webhooks.js';

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

const call = (taskId: string, body: unknown, headers?: Record<string, string>) => {
  const raw = JSON.stringify(body);
  return t.request(`/api/hooks/tasks/${taskId}`, {
    method: 'POST',
    body: raw,
    headers: { 'content-type': 'application/json', ...(headers ?? signWebhook(SECRET, raw, { now: clock })) },
  });
};
const status = async (id: string) =>
  (
    await db.asService((tx) =>
      tx.query<{ status: string; status_message: string | null; result: unknown }>(
        'select status, status_message, result from async_tasks where id = $1',
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
    const headers = signWebhook(`whsec_${Buffer.from('another-secret').toString('base64')}`, raw, { now: clock });
    const res = await call(id, JSON.parse(raw), headers);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('invalid_signature');
    expect((await status(id)).status_message).toBeNull();
  });

  it('rejects a body changed after signing', async () => {
    const id = await claimedTask();
    const headers = signWebhook(SECRET, JSON.stringify({ type: 'progress', attempt: 1, statusMessage: 'original' }), { now: clock });
    const res = await call(id, { type: 'progress', attempt: 1, statusMessage: 'tampered' }, headers);
    expect(res.status).toBe(401);
  });

  it('rejects a timestamp more than 5 minutes off', async () => {
    const id = await claimedTask();
    const raw = JSON.stringify({ type: 'progress', attempt: 1, statusMessage: 'late' });
    const res = await call(id, JSON.parse(raw), signWebhook(SECRET, raw, { now: clock - 6 * 60_000 }));
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toMatch(/timestamp/);
  });

  it('rejects a replayed webhook-id', async () => {
    const id = await claimedTask();
    const raw = JSON.stringify({ type: 'progress', attempt: 1, statusMessage: 'once' });
    const headers = signWebhook(SECRET, raw, { now: clock });
    expect((await call(id, JSON.parse(raw), headers)).status).toBe(200);
    const replay = await call(id, JSON.parse(raw), headers);
    expect(replay.status).toBe(401);
    expect((await replay.json()).error.code).toBe('replayed');
  });

  it('rejects a replay that reaches another instance (the ids live in the database)', async () => {
    const id = await claimedTask();
    const other = await testApp(db, { WEBHOOK_SECRET: SECRET }, { now: () => clock });
    const raw = JSON.stringify({ type: 'progress', attempt: 1, statusMessage: 'here' });
    const headers = signWebhook(SECRET, raw, { now: clock });
    expect((await call(id, JSON.parse(raw), headers)).status).toBe(200);
    const replay = await other.request(`/api/hooks/tasks/${id}`, {
      method: 'POST',
      body: raw,
      headers: { 'content-type': 'application/json', ...headers },
    });
    expect(replay.status).toBe(401);
  });

  it('validates the body after the signature', async () => {
    const id = await claimedTask();
    const res = await call(id, { type: 'explode', attempt: 1 });
    expect(res.status).toBe(400);
  });
});
