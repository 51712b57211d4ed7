import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { freePort } from '@app/test-support';
import { runnerHarness as makeHarness, type RunnerHarness } from '../../test/support/runner-harness.js';
import { key, memoryDatabase } from '../../test/support/test-app.js';
import { createLlmClient } from '../llm/llm-client.js';
import { createLogger } from '../logger.js';

// One database for the file (PGlite takes seconds to start); after each test every task still
// open is closed so the next test's runner starts from a clean queue.
let db: Database;
beforeAll(async () => {
  db = await memoryDatabase();
});
afterAll(() => db.close());

let h: RunnerHarness | undefined;
const runnerHarness = (opts: Omit<Parameters<typeof makeHarness>[0] & object, 'db'> = {}) => makeHarness({ ...opts, db });
afterEach(async () => {
  await h?.dispose();
  h = undefined;
  await db.asService((tx) =>
    tx.query("update async_tasks set status = 'cancelled', finished_at = now() where status in ('pending', 'processing')"),
  );
});

const POLL = { timeout: 30_000, interval: 50 };

async function sendOne(harness: RunnerHarness, content = 'Hello runner') {
  const v = await harness.visitor();
  const { body } = await harness.send(v.token, { content, idempotencyKey: key() });
  return { ...v, taskId: body.task.id as string, conversationId: body.conversationId as string };
}

describe('the built-in runner (chat.reply)', () => {
  it('shows the status steps, calls the LLM with the history, and stores exactly one reply', async () => {
    h = await runnerHarness();
    h.llm.enqueue({ content: 'Hi from the model', delayMs: 300 });
    const { taskId } = await sendOne(h);
    const seen = new Set<string>();
    h.hub.subscribe({
      onEvent: (e) => {
        if (e.id === taskId) void h!.task(taskId).then((t) => t.status_message && seen.add(t.status_message));
      },
    });
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('completed');
    const task = await h.task(taskId);
    expect(task.result).toEqual({ content: 'Hi from the model' });
    expect(await h.assistantMessages(taskId)).toBe(1);
    expect(seen.has('AI is thinking…')).toBe(true);
    const sent = h.llm.requests[0]!.body.messages!;
    expect(sent[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(sent.at(-1)).toEqual({ role: 'user', content: 'Hello runner' });
  });

  it('a reply that comes in one piece is one write to start (already thinking) and one to complete', async () => {
    h = await runnerHarness();
    h.llm.enqueue({ content: 'All at once', ignoreStream: true });
    const { taskId } = await sendOne(h);
    const made = await h.task(taskId);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('completed');
    const done = await h.task(taskId);
    expect(done.result).toEqual({ content: 'All at once' });
    // Claimed, started, completed: no status line of its own, and no text write the result repeats.
    expect(done.version - made.version).toBe(3);
    // The one status it wrote (completing keeps it): the start's.
    expect(done.status_message).toBe('AI is thinking…');
  });

  it('answers the message its task was made for, not messages sent after it', async () => {
    h = await runnerHarness();
    const v = await h.visitor();
    const first = await h.send(v.token, { content: 'first question', idempotencyKey: key() });
    await h.send(v.token, { conversationId: first.body.conversationId, content: 'second question', idempotencyKey: key() });
    h.runner.start();
    await expect.poll(() => h!.llm.requests.length, POLL).toBe(2);
    const lastUserOf = (i: number) => h!.llm.requests[i]!.body.messages!.filter((m) => m.role === 'user').map((m) => m.content);
    expect([lastUserOf(0), lastUserOf(1)]).toContainEqual(['first question']);
    expect([lastUserOf(0), lastUserOf(1)]).toContainEqual(['first question', 'second question']);
  });

  it('retries an LLM 500 and completes with one reply', async () => {
    h = await runnerHarness();
    h.llm.enqueue({ status: 500 }, { content: 'after a retry' });
    const { taskId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('completed');
    expect(h.llm.requests).toHaveLength(2);
    expect(await h.assistantMessages(taskId)).toBe(1);
  });

  it('fails the task with a clear error after max attempts when the LLM always fails', async () => {
    h = await runnerHarness({ maxRetries: 0 });
    h.llm.setFallback({ status: 503 });
    const { taskId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, { timeout: 45_000, interval: 100 }).toBe('failed');
    const task = await h.task(taskId);
    expect(task.attempt).toBe(3);
    expect(task.error).toMatchObject({ code: 'llm_unavailable', retryable: true });
    expect(await h.assistantMessages(taskId)).toBe(0);
  });

  it('fails at once, not retryable, when the LLM rejects the request', async () => {
    h = await runnerHarness();
    h.llm.setFallback({ status: 401 });
    const { taskId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('failed');
    const task = await h.task(taskId);
    expect(task.attempt).toBe(1);
    expect(task.error).toMatchObject({ code: 'llm_rejected', retryable: false });
  });

  it('logs an LLM failure with its code, status and host, never the key', async () => {
    const lines: string[] = [];
    h = await runnerHarness({ logger: createLogger('warn', { write: (line: string) => void lines.push(line) }) });
    h.llm.setFallback({ status: 401 });
    const { taskId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('failed');
    const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'LLM call failed');
    expect(failure).toMatchObject({ taskId, code: 'llm_rejected', status: 401, host: new URL(h.llm.url).host, retryable: false });
    expect(lines.join('\n')).not.toContain('test-key');
  });

  it("logs the provider's own message as the cause of a refused request, with a key it quotes masked", async () => {
    const lines: string[] = [];
    h = await runnerHarness({ logger: createLogger('info', { write: (line: string) => void lines.push(line) }) });
    h.llm.setFallback({ status: 404, body: { error: { message: 'No endpoints found for model x (key sk-test-key-quoted-12345)' } } });
    const { taskId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('failed');
    const logged = lines.map((l) => JSON.parse(l));
    expect(logged.find((l) => l.msg === 'LLM call failed')).toMatchObject({
      code: 'llm_rejected',
      status: 404,
      reason: 'the LLM endpoint rejected the request (404)',
      cause: { code: null, message: 'No endpoints found for model x (key sk-tes***)' },
    });
    // The attempt's end says what was recorded; no abort cause when no signal fired.
    const ended = logged.find((l) => l.msg === 'task attempt ended without a result');
    expect(ended).toMatchObject({ taskId, outcome: 'failed', code: 'llm_rejected', retryable: false });
    expect(ended).not.toHaveProperty('abortCause');
    expect(lines.join('\n')).not.toContain('sk-test-key-quoted');
  });

  it('logs an unreachable LLM endpoint with its host, no status, and the network error beneath', async () => {
    const lines: string[] = [];
    // A port nothing listens on: the connection is refused at once.
    const port = await freePort();
    h = await runnerHarness({
      logger: createLogger('warn', { write: (line: string) => void lines.push(line) }),
      model: createLlmClient({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: 'test-key', model: 'fake', maxRetries: 0 }),
    });
    const { taskId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).error?.code, POLL).toBe('llm_unavailable');
    const failure = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'LLM call failed');
    expect(failure).toMatchObject({
      taskId,
      code: 'llm_unavailable',
      status: null,
      host: `127.0.0.1:${port}`,
      retryable: true,
      cause: { code: 'ECONNREFUSED', message: `connect ECONNREFUSED 127.0.0.1:${port}` },
    });
  });

  it('aborts the LLM call at the deadline, records a timeout, and succeeds on the next attempt', async () => {
    h = await runnerHarness();
    h.llm.enqueue({ hang: true }, { content: 'second time lucky' });
    const { taskId } = await sendOne(h);
    await h.db.asService((tx) => tx.query('update async_tasks set timeout_seconds = 1 where id = $1', [taskId]));
    h.runner.start();
    await expect.poll(() => h!.llm.requests[0]?.aborted, POLL).toBe(true);
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('completed');
    const task = await h.task(taskId);
    expect(task.attempt).toBe(2);
    expect(await h.assistantMessages(taskId)).toBe(1);
  });

  it('cancels during processing: the LLM call is aborted and no reply appears', async () => {
    h = await runnerHarness();
    h.llm.enqueue({ hang: true });
    const { taskId, token } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status_message, POLL).toBe('AI is thinking…');
    await expect.poll(() => h!.llm.requests.length, POLL).toBe(1);
    const res = await h.request(`/api/tasks/${taskId}/cancel`, { method: 'POST', token, json: {} });
    expect(res.status).toBe(200);
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('cancelled');
    await expect.poll(() => h!.llm.requests[0]!.aborted, POLL).toBe(true);
    expect(await h.assistantMessages(taskId)).toBe(0);
  });

  it('makes one task and one reply for duplicate sends with the same idempotency key', async () => {
    h = await runnerHarness();
    const v = await h.visitor();
    const k = key();
    const [a, b] = await Promise.all([
      h.send(v.token, { content: 'dup', idempotencyKey: k }),
      h.send(v.token, { content: 'dup', idempotencyKey: k }),
    ]);
    expect(a.body.task.id).toBe(b.body.task.id);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    h.runner.start();
    await expect.poll(async () => (await h!.task(a.body.task.id)).status, POLL).toBe('completed');
    expect(await h.assistantMessages(a.body.task.id)).toBe(1);
    expect(h.llm.requests).toHaveLength(1);
  });

  it('on shutdown releases an unfinished task for another attempt', async () => {
    h = await runnerHarness();
    h.llm.enqueue({ hang: true });
    const { taskId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h!.task(taskId)).status, POLL).toBe('processing');
    await h.runner.stop(50);
    const task = await h.task(taskId);
    expect(task.status).toBe('pending');
    expect(task.error).toMatchObject({ code: 'interrupted', retryable: true });
  });
});
