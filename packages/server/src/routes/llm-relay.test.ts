import type { Database } from '@app/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeLlmServer } from '../../test/support/fake-llm-server.js';
import { key, memoryDatabase, type TestApp, testApp } from '../../test/support/test-app.js';
import { signRelayToken } from '../relay/relay-token.js';

const SECRET = 'relay-test-secret-relay-test-secret-0123';
const POLL = { timeout: 30_000, interval: 20 };
let db: Database;
let llm: FakeLlmServer;
let t: TestApp;

beforeAll(async () => {
  db = await memoryDatabase();
  llm = await startFakeLlmServer();
  t = await testApp(db, { WEBHOOK_SECRET: SECRET, LLM_BASE_URL: llm.url, LLM_API_KEY: 'server-key', LLM_MODEL: 'server-model' });
});
afterAll(async () => {
  await t.hub.stop();
  await llm.close();
  await db.close();
});
afterEach(async () => {
  llm.release();
  llm.requests.length = 0;
  llm.setFallback({});
  // Every test starts from an empty queue: what a test left open is closed.
  await db.asService((tx) =>
    tx.query("update async_tasks set status = 'cancelled', finished_at = now() where status in ('pending', 'processing')"),
  );
});

interface Task {
  id: string;
  attempt: number;
  status: string;
  partial_text: string | null;
  error: { code: string; retryable: boolean } | null;
  deadline_at: Date;
  cancel_requested: boolean;
}
const row = async (id: string) => (await db.asService((tx) => tx.query<Task>('select * from async_tasks where id = $1', [id]))).rows[0]!;

/** A visitor's chat message whose reply task is claimed, as the n8n dispatcher would: its token and relay path. */
async function claimedReply(content = 'Tell me something') {
  const v = await t.visitor();
  const { body } = await t.send(v.token, { content, idempotencyKey: key() });
  const { rows } = await db.asWorker((tx) => tx.query<Task>("select * from task_claim(10, array['chat.reply'])"));
  const task = rows.find((r) => r.id === body.task.id)!;
  const token = signRelayToken(SECRET, { taskId: task.id, attempt: task.attempt, expires: Math.ceil(task.deadline_at.getTime() / 1000) });
  return { visitor: v, taskId: task.id, attempt: task.attempt, token };
}

/** The workflow's HTTP node: POST <baseUrl>/chat/completions. */
const relay = (token: string, body: unknown, { headers = {}, signal }: { headers?: Record<string, string>; signal?: AbortSignal } = {}) =>
  t.request(`/api/llm-relay/${token}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
const question = (content = 'Tell me something') => ({
  model: 'workflow-model',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content },
  ],
});
const auth = { authorization: 'Bearer n8n-credential' };

describe('POST /api/llm-relay/:token/chat/completions', () => {
  it('streams the reply into the task before it answers, then answers one complete chat.completion', async () => {
    const { taskId, token } = await claimedReply();
    llm.enqueue({ content: 'One two three four', holdAfterChunks: 2 });
    const answer = relay(token, { ...question(), temperature: 0.2, n: 3, stream: false }, { headers: auth });

    // The fake holds the rest of the reply: the text so far is in the task while the call is open.
    await expect.poll(async () => (await row(taskId)).partial_text, POLL).toBe('One two ');
    expect((await row(taskId)).status).toBe('processing');
    const upstream = llm.requests[0]!;
    expect(upstream.headers.authorization).toBe('Bearer n8n-credential');
    expect(upstream.body).toEqual({ ...question(), temperature: 0.2, stream: true });
    llm.release();

    const res = await answer;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      object: 'chat.completion',
      model: 'workflow-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'One two three four' }, finish_reason: 'stop' }],
    });
    // The whole text is in the task already; the workflow completes it (task_complete), not the relay.
    expect(await row(taskId)).toMatchObject({ status: 'processing', partial_text: 'One two three four' });
    expect(llm.requests).toHaveLength(1);
  });

  it("uses the server's LLM_API_KEY and LLM_MODEL when the request brings neither", async () => {
    const { token } = await claimedReply();
    const res = await relay(token, { messages: question().messages });
    expect(res.status).toBe(200);
    expect((await res.json()).model).toBe('server-model');
    expect(llm.requests[0]!.headers.authorization).toBe('Bearer server-key');
    expect(llm.requests[0]!.body.model).toBe('server-model');
  });

  it("refuses another task's token, a forged one and another attempt's with 401, asking nothing upstream", async () => {
    const a = await claimedReply('task A');
    const b = await claimedReply('task B');
    const [, attempt, expires, signature] = a.token.split('.');
    const cases = [
      // A's signature on B's id: not a token for B.
      [b.taskId, attempt, expires, signature].join('.'),
      // A's id with a later expiry.
      [a.taskId, attempt, String(Number(expires) + 3600), signature].join('.'),
      // Signed with another secret.
      signRelayToken('not-the-secret', { taskId: b.taskId, attempt: 1, expires: Number(expires) }),
      'not-a-token',
    ];
    for (const token of cases) {
      const res = await relay(token, question(), { headers: auth });
      expect(res.status, token).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: 'invalid_token', message: 'the relay token is not valid for this server', type: 'authentication_error' },
      });
    }
    // Genuinely signed, but for an attempt the task is not on.
    const ahead = signRelayToken(SECRET, { taskId: b.taskId, attempt: 2, expires: Number(expires) });
    const res = await relay(ahead, question(), { headers: auth });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({ code: 'invalid_token', message: 'the relay token is for attempt 2, which is over' });
    expect(llm.requests).toHaveLength(0);
    for (const id of [a.taskId, b.taskId]) expect(await row(id)).toMatchObject({ partial_text: null, error: null });
  });

  it("refuses an earlier attempt's token once the task was retried", async () => {
    const first = await claimedReply();
    await db.asWorker((tx) => tx.query("select task_fail($1, 1, 'llm_unavailable', 'down', true)", [first.taskId]));
    await db.asService((tx) => tx.query('update async_tasks set next_attempt_at = now() where id = $1', [first.taskId]));
    await db.asWorker((tx) => tx.query("select * from task_claim(10, array['chat.reply'])"));
    expect((await row(first.taskId)).attempt).toBe(2);

    const res = await relay(first.token, question(), { headers: auth });
    expect(res.status).toBe(401);
    expect((await res.json()).error.message).toBe('the relay token is for attempt 1, which is over');
    expect(llm.requests).toHaveLength(0);
  });

  it('refuses an expired token with 401 and fails its attempt, retryably, as timed out', async () => {
    const { taskId, attempt } = await claimedReply();
    const expired = signRelayToken(SECRET, { taskId, attempt, expires: Math.floor(Date.now() / 1000) - 1 });
    const res = await relay(expired, question(), { headers: auth });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toEqual({
      code: 'invalid_token',
      message: "the relay token expired at its attempt's deadline",
      type: 'authentication_error',
    });
    expect(llm.requests).toHaveLength(0);
    expect(await row(taskId)).toMatchObject({ status: 'pending', attempt: 1, error: { code: 'timeout', retryable: true } });
  });

  it('Stop mid-reply aborts the upstream request, cancels the task with its text kept, and answers 409 cancelled', async () => {
    const { visitor, taskId, token } = await claimedReply();
    llm.enqueue({ content: 'One two three four five', holdAfterChunks: 2 });
    const answer = relay(token, question(), { headers: auth });
    await expect.poll(async () => (await row(taskId)).partial_text, POLL).toBe('One two ');

    const stop = await t.request(`/api/tasks/${taskId}/cancel`, { method: 'POST', token: visitor.token, json: {} });
    expect(stop.status).toBe(200);
    const res = await answer;
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'cancelled', type: 'cancelled' });
    // The fake LLM was still holding its reply: only the relay can have closed the connection.
    await expect.poll(() => llm.requests[0]!.aborted, POLL).toBe(true);
    expect(await row(taskId)).toMatchObject({ status: 'cancelled', partial_text: 'One two ' });

    // The workflow's retry of the call is answered the same way, at once.
    const again = await relay(token, question(), { headers: auth });
    expect(again.status).toBe(409);
    expect(llm.requests).toHaveLength(1);
  });

  it('a Stop before the call cancels the task without asking the model', async () => {
    const { visitor, taskId, token } = await claimedReply();
    await t.request(`/api/tasks/${taskId}/cancel`, { method: 'POST', token: visitor.token, json: {} });
    const res = await relay(token, question(), { headers: auth });
    expect(res.status).toBe(409);
    expect(llm.requests).toHaveLength(0);
    expect((await row(taskId)).status).toBe('cancelled');
  });

  it('passes upstream 429 and 5xx through as retryable and 4xx as rejected, each after one upstream call', async () => {
    const cases = [
      { step: { status: 429, retryAfter: '0' }, status: 429, code: 'llm_rate_limited', type: 'rate_limit_error' },
      { step: { status: 500 }, status: 500, code: 'llm_unavailable', type: 'upstream_error' },
      { step: { status: 503 }, status: 503, code: 'llm_unavailable', type: 'upstream_error' },
      { step: { status: 400 }, status: 400, code: 'llm_rejected', type: 'invalid_request_error' },
      { step: { status: 401 }, status: 401, code: 'llm_rejected', type: 'invalid_request_error' },
    ];
    for (const { step, status, code, type } of cases) {
      const { taskId, token } = await claimedReply();
      llm.requests.length = 0;
      llm.enqueue(step);
      const res = await relay(token, question(), { headers: auth });
      expect(res.status, JSON.stringify(step)).toBe(status);
      const body = await res.json();
      expect(body.error).toMatchObject({ code, type });
      expect(body.error.message).toMatch(new RegExp(`\\(${step.status}\\)`));
      // The workflow's error path decides: the relay leaves the task as it is.
      expect(await row(taskId)).toMatchObject({ status: 'pending', error: null });
      expect(llm.requests).toHaveLength(1);
    }
  });

  it('a stream cut after some text answers 502; the retried call for the same attempt starts the text over', async () => {
    const { taskId, token } = await claimedReply();
    // Chunks 50 ms apart: the first is written (a write waits one turn of the event loop, and a
    // reply that ends in the turn it began is carried by its result alone).
    llm.enqueue({ content: 'Lost words here', cutAfterChunks: 2, chunksPerSecond: 20 }, { content: 'Fresh start' });
    const cut = await relay(token, question(), { headers: auth });
    expect(cut.status).toBe(502);
    expect((await cut.json()).error.code).toBe('llm_stream_interrupted');
    // What was written of it: the text after the last write is dropped with the broken reply.
    const lost = (await row(taskId)).partial_text!;
    expect(lost.length).toBeGreaterThan(0);
    expect('Lost words '.startsWith(lost)).toBe(true);

    const retried = await relay(token, question(), { headers: auth });
    expect(retried.status).toBe(200);
    expect((await retried.json()).choices[0].message.content).toBe('Fresh start');
    expect((await row(taskId)).partial_text).toBe('Fresh start');
  });

  it('a caller that leaves mid-reply closes the upstream connection and leaves the task to the workflow', async () => {
    const { taskId, token } = await claimedReply();
    llm.enqueue({ content: 'One two three four', holdAfterChunks: 2 });
    const caller = new AbortController();
    const answer = relay(token, question(), { headers: auth, signal: caller.signal }).catch((e: unknown) => e);
    await expect.poll(async () => (await row(taskId)).partial_text, POLL).toBe('One two ');
    caller.abort();
    await answer;
    await expect.poll(() => llm.requests[0]!.aborted, POLL).toBe(true);
    expect(await row(taskId)).toMatchObject({ status: 'processing', error: null, partial_text: 'One two ' });
  });

  it("at the attempt's deadline aborts the upstream request, fails the attempt as timed out and answers 504", async () => {
    const { taskId, attempt } = await claimedReply();
    await db.asService((tx) => tx.query("update async_tasks set deadline_at = now() + interval '2 seconds' where id = $1", [taskId]));
    const { deadline_at } = await row(taskId);
    const token = signRelayToken(SECRET, { taskId, attempt, expires: Math.ceil(deadline_at.getTime() / 1000) });
    llm.enqueue({ content: 'Slow words that never end', holdAfterChunks: 2 });
    const res = await relay(token, question(), { headers: auth });
    expect(res.status).toBe(504);
    expect((await res.json()).error.code).toBe('timeout');
    await expect.poll(() => llm.requests[0]!.aborted, POLL).toBe(true);
    expect(await row(taskId)).toMatchObject({ status: 'pending', error: { code: 'timeout', retryable: true } });
  });

  it('ends an answer over 16,000 characters there: the upstream call is closed, the text answered with finish_reason length', async () => {
    const { taskId, token } = await claimedReply();
    // Twenty pieces of 1,000 characters, then it would wait: only the relay can end it.
    llm.enqueue({ content: 'x'.repeat(20_000), chunkSize: 1_000, holdAfterChunks: 17 });
    const res = await relay(token, question(), { headers: auth });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.choices[0]).toMatchObject({ finish_reason: 'length' });
    expect(body.choices[0].message.content).toHaveLength(17_000);
    await expect.poll(() => llm.requests[0]!.aborted, POLL).toBe(true);
    // The task holds no more than a message can; the workflow trims the answer to that.
    const kept = (await row(taskId)).partial_text!;
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThanOrEqual(16_000);
  });

  it('passes an answer without text on as it is, for the workflow to judge', async () => {
    for (const step of [{ body: { choices: [] } }, { content: '' }]) {
      const { token } = await claimedReply();
      llm.enqueue(step);
      const res = await relay(token, question(), { headers: auth });
      expect(res.status, JSON.stringify(step)).toBe(200);
      expect((await res.json()).choices[0].message.content).toBe('');
    }
  });

  it("takes a conversation larger than the API's body limit", async () => {
    const { token } = await claimedReply();
    const long = 'y'.repeat(15_000);
    const messages = Array.from({ length: 10 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: long }));
    const body = JSON.stringify({ messages });
    expect(body.length).toBeGreaterThan(t.config.bodyLimitBytes);
    const res = await relay(token, body, { headers: auth });
    expect(res.status).toBe(200);
    expect(llm.requests[0]!.body.messages).toEqual(messages);
  });

  it('answers 400 for a body that is not an OpenAI chat request', async () => {
    const { token } = await claimedReply();
    const malformed = await relay(token, '{"messages": [', { headers: auth });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('malformed_json');
    const empty = await relay(token, { messages: [] }, { headers: auth });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error).toMatchObject({ code: 'invalid_input', type: 'invalid_request_error' });
    expect(llm.requests).toHaveLength(0);
  });
});
