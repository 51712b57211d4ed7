import type { Database } from '@app/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDemoModel } from '../src/llm/demo-model.js';
import type { ReplyModel } from '../src/runner/chat-reply.js';
import { replyTracker } from './support/reply-tracker.js';
import { type RunnerHarness, type RunnerHarnessOptions, runnerHarness } from './support/runner-harness.js';
import { readSse, type SseEvent } from './support/sse-reader.js';
import { engines, key } from './support/test-app.js';

const POLL = { timeout: 30_000, interval: 20 };

/** A conversation stream read by a client that keeps each task's reply text (`replyTracker`). */
async function watch(h: RunnerHarness, token: string, conversationId: string, headers: Record<string, string> = {}) {
  const res = await h.request(`/api/conversations/${conversationId}/stream`, { token, headers });
  expect(res.status).toBe(200);
  const sse = readSse(res);
  const replies = replyTracker();
  const seen: SseEvent[] = [];
  /** Reads (and applies) events until one satisfies `done`; returns it. */
  const until = async (done: (e: SseEvent) => boolean) => {
    for (;;) {
      const e = await sse.next();
      replies.apply(e);
      seen.push(e);
      if (done(e)) return e;
    }
  };
  return { sse, replies, seen, until };
}

describe.each(engines)('streamed replies on $engine', ({ open }) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(() => db?.close());

  let h: RunnerHarness | undefined;
  const harness = async (options: Omit<RunnerHarnessOptions, 'db'> = {}) => {
    h = await runnerHarness({ ...options, db });
    return h;
  };
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
    await db.asService((tx) =>
      tx.query("update async_tasks set status = 'cancelled', finished_at = now() where status in ('pending', 'processing')"),
    );
  });

  async function sendOne(harness: RunnerHarness, content = 'Tell me a story') {
    const v = await harness.visitor();
    const { body } = await harness.send(v.token, { content, idempotencyKey: key() });
    return { token: v.token, taskId: body.task.id as string, conversationId: body.conversationId as string };
  }
  const assistantMessage = (taskId: string) => (e: SseEvent) =>
    e.event === 'message' && e.data.role === 'assistant' && e.data.asyncTaskId === taskId;
  const showing = (stream: { replies: ReturnType<typeof replyTracker> }, taskId: string, text: string) => () =>
    stream.replies.task(taskId)?.partialText === text;

  it('the stream carries the reply as it grows, before the task completes, then the one assistant message', async () => {
    const h = await harness();
    const content = 'One two three four five six';
    // 20 chunks a second: the words come in several writes (one per 100 ms at most).
    h.llm.enqueue({ content, holdAfterChunks: 3, chunksPerSecond: 20 });
    const { token, taskId, conversationId } = await sendOne(h);
    const stream = await watch(h, token, conversationId);
    h.runner.start();

    // The model is held after three words: what the visitor sees now came before the reply was over.
    await stream.until(showing(stream, taskId, 'One two three '));
    expect(stream.replies.task(taskId)).toMatchObject({ status: 'processing' });
    expect(stream.seen.some((e) => e.event === 'output')).toBe(true);
    h.llm.release();

    const message = await stream.until(assistantMessage(taskId));
    expect(message.data.content).toBe(content);
    const done = await stream.sse.find((e) => e.event === 'task' && e.data.id === taskId && e.data.status === 'completed');
    // The message holds the text now; the partial text is cleared.
    expect(done.data).toMatchObject({ partialText: null, result: { content } });
    const texts = stream.replies.texts(taskId);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    for (const text of texts) expect(content.startsWith(text)).toBe(true);
    expect(stream.replies.unapplied).toBe(0);
    expect(await h.assistantMessages(taskId)).toBe(1);
    await stream.sse.close();
  });

  it('a model that streams a NUL and cuts an emoji between chunks still completes, with the text the database can store', async () => {
    const h = await harness();
    // One character a chunk: the emoji's two halves arrive in two chunks, the NUL in its own.
    h.llm.enqueue({ content: 'Hi \u{1F600}\u0000!', chunkSize: 1 });
    const { token, taskId, conversationId } = await sendOne(h);
    const stream = await watch(h, token, conversationId);
    h.runner.start();
    const message = await stream.until(assistantMessage(taskId));
    expect(message.data.content).toBe('Hi \u{1F600}!');
    expect(stream.replies.texts(taskId).every((text) => !text.includes('\uFFFD'))).toBe(true);
  });

  it('a stream opened mid-reply gets the text so far in its snapshot, then the rest', async () => {
    const h = await harness();
    const content = 'Alpha beta gamma delta epsilon zeta eta theta';
    h.llm.enqueue({ content, holdAfterChunks: 3, chunksPerSecond: 40 });
    const { token, taskId, conversationId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h.task(taskId)).partial_text, POLL).toBe('Alpha beta gamma ');

    // A reload (no Last-Event-ID) and a reconnect (with one) both start from the text so far.
    const fresh = await watch(h, token, conversationId);
    const resumed = await watch(h, token, conversationId, { 'last-event-id': '1' });
    for (const stream of [fresh, resumed]) {
      const snapshot = await stream.until((e) => e.event === 'snapshot');
      expect(snapshot.data.tasks.find((t: { id: string }) => t.id === taskId)).toMatchObject({
        status: 'processing',
        partialText: 'Alpha beta gamma ',
      });
    }
    h.llm.release();
    for (const stream of [fresh, resumed]) {
      const message = await stream.until(assistantMessage(taskId));
      expect(message.data.content).toBe(content);
      // Every output event went on top of the snapshot's text, never back to the start.
      for (const e of stream.seen.filter((x) => x.event === 'output'))
        expect(e.data.from).toBeGreaterThanOrEqual('Alpha beta gamma '.length);
      expect(stream.replies.unapplied).toBe(0);
      await stream.sse.close();
    }
  });

  it('sends output deltas while only the text grows, and a whole task event when the attempt fails and retries', async () => {
    const h = await harness();
    // The first attempt is held after one word, then after two, then the connection is cut.
    h.llm.enqueue({ content: 'One two three four', holdAfterChunks: [1, 2], cutAfterChunks: 3 }, { content: 'Fresh reply here' });
    const { token, taskId, conversationId } = await sendOne(h);
    const stream = await watch(h, token, conversationId);
    h.runner.start();

    const first = await stream.until(showing(stream, taskId, 'One '));
    h.llm.release();
    // The stream already carried "One ": only the text grew, so the change is a delta.
    const grown = await stream.until(showing(stream, taskId, 'One two '));
    expect(grown.event).toBe('output');
    expect(grown.data).toMatchObject({ taskId, from: 4, text: 'two ' });
    // Its id is the row's seq, as for every data event: a reconnect resumes after it.
    expect(Number(grown.id)).toBeGreaterThan(Number(first.id));
    h.llm.release();

    // The cut fails the attempt (retryable): the database clears the text; that is a whole task event.
    const reset = await stream.until((e) => e.event === 'task' && e.data.id === taskId && e.data.partialText === null);
    expect(reset.data).toMatchObject({ status: 'pending', error: { code: 'llm_stream_interrupted', retryable: true } });
    const message = await stream.until(assistantMessage(taskId));
    expect(message.data.content).toBe('Fresh reply here');
    // The retry streamed afresh: after the reset every text is a beginning of the new reply.
    const after = stream.replies.texts(taskId).slice(stream.replies.texts(taskId).indexOf('One two ') + 1);
    for (const text of after) expect('Fresh reply here'.startsWith(text)).toBe(true);
    expect(stream.replies.unapplied).toBe(0);
    expect(h.llm.requests).toHaveLength(2);
    expect(await h.assistantMessages(taskId)).toBe(1);
    expect(await h.task(taskId)).toMatchObject({ status: 'completed', attempt: 2, partial_text: null });
    await stream.sse.close();
  });

  it('Stop mid-reply aborts the upstream request at once; the task ends cancelled and keeps its text', async () => {
    const h = await harness();
    h.llm.enqueue({ content: 'One two three four five', holdAfterChunks: 2 });
    const { token, taskId, conversationId } = await sendOne(h);
    const stream = await watch(h, token, conversationId);
    h.runner.start();
    await stream.until(showing(stream, taskId, 'One two '));

    const res = await h.request(`/api/tasks/${taskId}/cancel`, { method: 'POST', token, json: {} });
    expect(res.status).toBe(200);
    // The fake LLM is still holding its reply: only the runner can have closed the connection.
    await expect.poll(() => h.llm.requests[0]!.aborted, POLL).toBe(true);
    const cancelled = await stream.until((e) => e.event === 'task' && e.data.id === taskId && e.data.status === 'cancelled');
    expect(cancelled.data.partialText).toBe('One two ');
    expect(await h.task(taskId)).toMatchObject({ status: 'cancelled', partial_text: 'One two ' });
    expect(await h.assistantMessages(taskId)).toBe(0);
    await stream.sse.close();
  });

  it('Stop keeps the text the model wrote after the last write, too', async () => {
    let seenAbort!: () => void;
    const aborted = new Promise<void>((resolve) => (seenAbort = resolve));
    let secondPushed!: () => void;
    const pushed = new Promise<void>((resolve) => (secondPushed = resolve));
    // Two pieces, the second after the first was written, then it waits: the second is still in
    // the reporter's buffer (5 s interval).
    const model: ReplyModel = {
      stream: (_messages, { signal, onText } = {}) =>
        new Promise<string>((_resolve, reject) => {
          onText?.('Kept ', 'Kept ');
          setTimeout(() => {
            onText?.('in full', 'Kept in full');
            secondPushed();
          }, 50);
          signal?.addEventListener('abort', () => {
            seenAbort();
            reject(signal.reason);
          });
        }),
    };
    const h = await harness({ model, streamFlushIntervalMs: 5_000 });
    const { token, taskId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h.task(taskId)).partial_text, POLL).toBe('Kept ');
    await pushed;
    await h.request(`/api/tasks/${taskId}/cancel`, { method: 'POST', token, json: {} });
    await aborted;
    await expect.poll(async () => (await h.task(taskId)).status, POLL).toBe('cancelled');
    expect((await h.task(taskId)).partial_text).toBe('Kept in full');
  });

  it('a deadline mid-reply aborts the upstream request; the retry starts the text over and completes once', async () => {
    const h = await harness();
    h.llm.enqueue({ content: 'Slow words that never end', holdAfterChunks: 2 }, { content: 'On time' });
    const { taskId } = await sendOne(h);
    await h.db.asService((tx) => tx.query('update async_tasks set timeout_seconds = 1 where id = $1', [taskId]));
    h.runner.start();
    await expect.poll(async () => (await h.task(taskId)).status, POLL).toBe('completed');
    // The first call had sent its first words and was holding the rest when the deadline closed it.
    expect(h.llm.requests[0]).toMatchObject({ chunksSent: 2, aborted: true });
    expect(await h.task(taskId)).toMatchObject({ attempt: 2, result: { content: 'On time' }, partial_text: null });
    expect(await h.assistantMessages(taskId)).toBe(1);
  });

  it('a reply that passes 16,000 characters aborts the model call and fails for good with reply_too_long', async () => {
    const h = await harness();
    h.llm.enqueue({ content: 'x'.repeat(40_000), chunkSize: 1_000, chunksPerSecond: 50 });
    const { taskId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h.task(taskId)).status, POLL).toBe('failed');
    const task = await h.task(taskId);
    expect(task).toMatchObject({ attempt: 1, error: { code: 'reply_too_long', retryable: false } });
    // What was written stays (a failed reply keeps its text), within the limit.
    expect(task.partial_text.length).toBeGreaterThan(0);
    expect(task.partial_text.length).toBeLessThanOrEqual(16_000);
    await expect.poll(() => h.llm.requests[0]!.aborted, POLL).toBe(true);
    expect(await h.assistantMessages(taskId)).toBe(0);
  });

  it('coalesces a fast model: at most about one write per flush interval', async () => {
    const writes: number[] = [];
    const h = await harness({
      streamFlushIntervalMs: 100,
      onWorkerQuery: (sql) => {
        if (sql.includes('task_output')) writes.push(performance.now());
      },
    });
    const content = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
    // 200 chunks a second for about a second.
    h.llm.enqueue({ content, chunksPerSecond: 200 });
    const { taskId } = await sendOne(h);
    h.runner.start();
    await expect.poll(async () => (await h.task(taskId)).status, POLL).toBe('completed');
    expect((await h.task(taskId)).result).toEqual({ content });

    // Writes start at least 100 ms apart (the first at once); one of slack for when each reached the database.
    const spanMs = writes.at(-1)! - writes[0]!;
    expect(writes.length).toBeGreaterThanOrEqual(2);
    expect(writes.length).toBeLessThanOrEqual(Math.floor(spanMs / 100) + 2);
  });

  it('demo mode streams its reply word by word', async () => {
    const h = await harness({ model: createDemoModel({ delayMs: 0, wordDelayMs: 5 }), streamFlushIntervalMs: 10 });
    const { token, taskId, conversationId } = await sendOne(h, 'Hello demo');
    const stream = await watch(h, token, conversationId);
    h.runner.start();
    const message = await stream.until(assistantMessage(taskId));
    expect(message.data.content).toMatch(/^\*\*Demo mode\*\*/);
    expect(message.data.content).toContain('You said: Hello demo');
    for (const text of stream.replies.texts(taskId)) expect(message.data.content.startsWith(text)).toBe(true);
    expect(stream.replies.unapplied).toBe(0);
    await stream.sse.close();
  });
});
