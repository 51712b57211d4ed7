import { createTestDatabase } from '@app/db';
import { checkRequirement, requirements } from '@app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { type FakeLlmServer, startFakeLlmServer } from './support/fake-llm-server.js';
import { replyTracker } from './support/reply-tracker.js';
import { readSse, type SseEvent } from './support/sse-reader.js';
import { key, testConfig } from './support/test-app.js';

// The visitor's stream may be served by any instance: the reply grows in the database, so an
// instance that does not run the task relays it as well as the one that does.
describe.runIf(checkRequirement(requirements.postgres))('a streamed reply seen through an instance that does not run it', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let worker: RunningServer;
  let relay: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startFakeLlmServer();
    const config = (concurrency: number) =>
      testConfig({
        DATABASE_URL: database.url,
        PORT: '0',
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: 'test',
        RUNNER_POLL_INTERVAL_MS: '200',
        RUNNER_CONCURRENCY: String(concurrency),
      });
    worker = await startServer(config(2), { logger: createLogger('silent') });
    // RUNNER_CONCURRENCY=0: this instance serves the API and streams, and runs no task.
    relay = await startServer(config(0), { logger: createLogger('silent') });
  });

  afterAll(async () => {
    await relay?.stop();
    await worker?.stop();
    await llm?.close();
    await database?.drop();
  });

  const api = (server: RunningServer, path: string, { token, json }: { token?: string; json?: unknown } = {}) =>
    fetch(`${server.url.replace('localhost', '127.0.0.1')}${path}`, {
      method: json === undefined ? 'GET' : 'POST',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });

  async function watch(token: string, conversationId: string) {
    const sse = readSse(await api(relay, `/api/conversations/${conversationId}/stream`, { token }));
    const replies = replyTracker();
    const until = async (done: (e: SseEvent) => boolean) => {
      for (;;) {
        const e = await sse.next();
        replies.apply(e);
        if (done(e)) return e;
      }
    };
    return { sse, replies, until };
  }

  it('streams the growing text, serves the text so far to a stream opened mid-reply, then the one reply', async () => {
    const session = await (await api(relay, '/api/session', { json: {} })).json();
    const token = session.accessToken as string;
    const content = 'Streamed across instances, word by word';
    llm.enqueue({ content, holdAfterChunks: 3 });
    const sent = await (await api(relay, '/api/chat/send', { token, json: { content: 'hello', idempotencyKey: key() } })).json();
    const taskId = sent.task.id as string;
    const first = await watch(token, sent.conversationId);

    // The model holds after three words: the relay's stream already shows them.
    await first.until(() => first.replies.task(taskId)?.partialText === 'Streamed across instances, ');
    expect(first.replies.task(taskId)).toMatchObject({ status: 'processing' });

    const late = await watch(token, sent.conversationId);
    const snapshot = await late.until((e) => e.event === 'snapshot');
    expect(snapshot.data.tasks.find((t: { id: string }) => t.id === taskId)?.partialText).toBe('Streamed across instances, ');

    llm.release();
    for (const stream of [first, late]) {
      const message = await stream.until((e) => e.event === 'message' && e.data.role === 'assistant' && e.data.asyncTaskId === taskId);
      expect(message.data.content).toBe(content);
      for (const text of stream.replies.texts(taskId)) expect(content.startsWith(text)).toBe(true);
      expect(stream.replies.unapplied).toBe(0);
      await stream.sse.close();
    }
    const page = await (await api(relay, `/api/conversations/${sent.conversationId}`, { token })).json();
    expect(page.messages.filter((m: { role: string }) => m.role === 'assistant')).toHaveLength(1);
    expect(llm.requests).toHaveLength(1);
  });
});
