import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@app/db';
import { readSse } from '../../test/support/sse-reader.js';
import { engines, key, testApp, type TestApp } from '../../test/support/test-app.js';
import { verifyWebhook } from '../webhooks/standard-webhooks.js';

const WEBHOOK_SECRET = 'feedback-secret-feedback-secret-0123456789';
const METRICS_TOKEN = 'metrics-token-metrics-token-0123456789';

/** Claims what is due and completes `taskId` with `content`, as a worker would. */
async function reply(db: Database, taskId: string, content: string) {
  await db.asWorker(async (tx) => {
    const { rows } = await tx.query<{ id: string; attempt: number }>('select id, attempt from public.task_claim(100)');
    const attempt = rows.find((r) => r.id === taskId)!.attempt;
    await tx.query('select public.task_complete($1::uuid, $2::int, $3::jsonb)', [taskId, attempt, JSON.stringify({ content })]);
  });
}

/** The history a worker's attempt at `taskId` reads (what the model is sent). */
async function history(db: Database, taskId: string) {
  return db.asWorker(async (tx) => {
    const { rows } = await tx.query<{ id: string; attempt: number }>('select id, attempt from public.task_claim(100)');
    const attempt = rows.find((r) => r.id === taskId)!.attempt;
    const read = await tx.query<{ content: string }>('select content from public.task_conversation_history($1::uuid, $2::int)', [
      taskId,
      attempt,
    ]);
    return { attempt, contents: read.rows.map((r) => r.content) };
  });
}

/** A receiver of signed webhooks on a free local port. */
async function webhookReceiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/feedback`, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe.each(engines)('message routes on $engine', ({ open }) => {
  let db: Database;
  let t: TestApp;
  let me: string;
  let other: string;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  beforeAll(async () => {
    db = await open();
    receiver = await webhookReceiver();
    // Many sends in a minute: the send limits are off here (they have their own tests).
    const limitsOff = { RATE_LIMIT_SEND_PER_VISITOR: '0', RATE_LIMIT_SEND_PER_IP: '0' };
    t = await testApp(db, { FEEDBACK_WEBHOOK_URL: receiver.url, WEBHOOK_SECRET, METADATA_MAX_BYTES: '256', METRICS_TOKEN, ...limitsOff });
    me = (await t.visitor()).token;
    other = (await t.visitor()).token;
  });
  afterAll(async () => {
    await receiver.close();
    await db.close();
  });

  const post = async (token: string, path: string, json?: unknown) => {
    const res = await t.request(path, { method: 'POST', token, ...(json === undefined ? {} : { json }) });
    return { status: res.status, body: await res.json() };
  };
  /** A question answered: the conversation, the question, its task and the reply message. */
  async function answered(token = me, content = 'What are your opening hours?') {
    const sent = await t.send(token, { content, idempotencyKey: key() });
    await reply(db, sent.body.task.id, 'Nine to five');
    const page = await (await t.request(`/api/conversations/${sent.body.conversationId}`, { token })).json();
    const answer = page.messages.find((m: { role: string }) => m.role === 'assistant');
    return { conversationId: sent.body.conversationId as string, question: sent.body.message, task: sent.body.task, answer };
  }

  describe('POST /api/messages/:id/feedback', () => {
    it('rates a reply, replaces the rating, shows it with the history page and posts it signed to the operator', async () => {
      const { conversationId, answer } = await answered();
      const first = await post(me, `/api/messages/${answer.id}/feedback`, { rating: 'up' });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ messageId: answer.id, rating: 'up', comment: null });
      const second = await post(me, `/api/messages/${answer.id}/feedback`, { rating: 'down', comment: '  Wrong hours  ' });
      expect(second.body).toMatchObject({ messageId: answer.id, rating: 'down', comment: 'Wrong hours', createdAt: first.body.createdAt });

      const page = await (await t.request(`/api/conversations/${conversationId}`, { token: me })).json();
      expect(page.feedback).toEqual([second.body]);

      await expect.poll(() => receiver.received.filter((r) => r.body.includes(answer.id)).length).toBe(2);
      const delivery = receiver.received.filter((r) => r.body.includes(answer.id)).at(-1)!;
      const verified = verifyWebhook(
        WEBHOOK_SECRET,
        {
          id: delivery.headers['webhook-id'] as string,
          timestamp: delivery.headers['webhook-timestamp'] as string,
          signature: delivery.headers['webhook-signature'] as string,
        },
        delivery.body,
      );
      expect(verified.ok).toBe(true);
      expect(JSON.parse(delivery.body)).toMatchObject({
        type: 'message.feedback',
        conversationId,
        feedback: { rating: 'down', comment: 'Wrong hours' },
        answer: 'Nine to five',
        question: 'What are your opening hours?',
      });

      const worst = await db.asService((tx) =>
        tx.query<{ question: string; answer: string; comment: string }>(
          'select question, answer, comment from public.message_feedback_worst_answers where message_id = $1::uuid',
          [answer.id],
        ),
      );
      expect(worst.rows).toEqual([{ question: 'What are your opening hours?', answer: 'Nine to five', comment: 'Wrong hours' }]);

      const metrics = () => t.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then((r) => r.text());
      expect(await metrics()).toMatch(/^async_chat_feedback_total\{rating="down"\} [1-9]/m);
      // Counted once the receiver's answer is back, a moment after it got the body.
      await expect.poll(metrics).toMatch(/^async_chat_feedback_webhook_total\{result="delivered"\} 2$/m);
    });

    it('answers 404 for another visitor’s, an unknown or a malformed message, 400 for a question or a bad body', async () => {
      const { question, answer } = await answered();
      for (const [token, id] of [
        [other, answer.id],
        [me, '00000000-0000-4000-8000-000000000000'],
        [me, 'nope'],
      ]) {
        const res = await post(token, `/api/messages/${id}/feedback`, { rating: 'down' });
        expect([res.status, res.body.error]).toEqual([404, { code: 'not_found', message: 'message not found' }]);
      }
      expect((await post(me, `/api/messages/${question.id}/feedback`, { rating: 'up' })).status).toBe(400);
      for (const json of [{}, { rating: 'meh' }, { rating: 'up', comment: 'x'.repeat(2001) }, { rating: 'up', extra: true }]) {
        expect((await post(me, `/api/messages/${answer.id}/feedback`, json)).status).toBe(400);
      }
      const stored = await db.asService((tx) => tx.query('select 1 from public.message_feedback where message_id = $1::uuid', [answer.id]));
      expect(stored.rows).toHaveLength(0);
    });
  });

  describe('POST /api/messages/:id/regenerate', () => {
    it('answers the last question again: a new task replaces the old reply, which stays linked; the same key, the same rows', async () => {
      const { conversationId, question, task, answer } = await answered();
      const idempotencyKey = key();
      const res = await post(me, `/api/messages/${question.id}/regenerate`, { idempotencyKey });
      expect(res.status).toBe(201);
      expect(res.body.conversationId).toBe(conversationId);
      expect(res.body.task).toMatchObject({ kind: 'chat.reply', status: 'pending', replacesTaskId: task.id });
      expect(res.body.message).toMatchObject({ id: question.id, asyncTaskId: res.body.task.id, replacedByTaskId: null });
      expect(res.body.replaced).toEqual([expect.objectContaining({ id: answer.id, replacedByTaskId: res.body.task.id })]);

      const again = await post(me, `/api/messages/${question.id}/regenerate`, { idempotencyKey });
      expect(again.status).toBe(200);
      expect(again.body.task.id).toBe(res.body.task.id);

      // The model is not shown the replaced reply; the new one replaces it in the thread.
      expect((await history(db, res.body.task.id)).contents).toEqual(['What are your opening hours?']);
      const page = await (await t.request(`/api/conversations/${conversationId}`, { token: me })).json();
      expect(page.messages.find((m: { id: string }) => m.id === answer.id).replacedByTaskId).toBe(res.body.task.id);
    });

    it('streams the replaced message and the new task to an open conversation stream', async () => {
      const { conversationId, question, answer } = await answered();
      const sse = readSse(await t.request(`/api/conversations/${conversationId}/stream`, { token: me }));
      await sse.next((e) => e.event === 'snapshot');
      const res = await post(me, `/api/messages/${question.id}/regenerate`, { idempotencyKey: key() });
      await sse.find((e) => e.event === 'message' && e.data.id === answer.id && e.data.replacedByTaskId === res.body.task.id);
      await sse.find((e) => e.event === 'task' && e.data.id === res.body.task.id);
      await sse.close();
    });

    it('answers 409 while the reply is being written and for a question that is not the last, 404 for another visitor’s', async () => {
      const sent = await t.send(me, { content: 'Still answering', idempotencyKey: key() });
      const busy = await post(me, `/api/messages/${sent.body.message.id}/regenerate`, { idempotencyKey: key() });
      expect([busy.status, busy.body.error.code]).toEqual([409, 'invalid_state']);

      const { conversationId, question } = await answered();
      const later = await t.send(me, { conversationId, content: 'A later question', idempotencyKey: key() });
      await reply(db, later.body.task.id, 'Later answer');
      const earlier = await post(me, `/api/messages/${question.id}/regenerate`, { idempotencyKey: key() });
      expect([earlier.status, earlier.body.error.code]).toEqual([409, 'invalid_state']);

      for (const [token, id] of [
        [other, later.body.message.id],
        [me, '00000000-0000-4000-8000-000000000000'],
        [me, 'x'],
      ]) {
        expect((await post(token, `/api/messages/${id}/regenerate`, { idempotencyKey: key() })).status).toBe(404);
      }
      for (const json of [{}, { idempotencyKey: '' }, { idempotencyKey: key(), more: 1 }]) {
        expect((await post(me, `/api/messages/${later.body.message.id}/regenerate`, json)).status).toBe(400);
      }
    });
  });

  describe('POST /api/messages/:id/edit', () => {
    it('replaces the last question and its reply by a new question answered anew; the same key, the same rows', async () => {
      const { conversationId, question, task, answer } = await answered();
      const idempotencyKey = key();
      const json = { content: 'What about Sundays?', idempotencyKey, metadata: { page: '/hours' } };
      const res = await post(me, `/api/messages/${question.id}/edit`, json);
      expect(res.status).toBe(201);
      expect(res.body.message).toMatchObject({ role: 'user', content: 'What about Sundays?', metadata: { page: '/hours' } });
      expect(res.body.task).toMatchObject({ status: 'pending', replacesTaskId: task.id });
      expect(res.body.replaced.map((m: { id: string; replacedByTaskId: string }) => [m.id, m.replacedByTaskId])).toEqual([
        [question.id, res.body.task.id],
        [answer.id, res.body.task.id],
      ]);
      const again = await post(me, `/api/messages/${question.id}/edit`, json);
      expect([again.status, again.body.message.id]).toEqual([200, res.body.message.id]);
      expect((await history(db, res.body.task.id)).contents).toEqual(['What about Sundays?']);
      const list = await (await t.request('/api/conversations', { token: me })).json();
      expect(list.conversations.find((c: { id: string }) => c.id === conversationId).lastMessage.content).toBe('What about Sundays?');
    });

    it('stops a reply still being written first', async () => {
      const sent = await t.send(me, { content: 'Typo hre', idempotencyKey: key() });
      const res = await post(me, `/api/messages/${sent.body.message.id}/edit`, { content: 'Typo here', idempotencyKey: key() });
      expect(res.status).toBe(201);
      const old = await (await t.request(`/api/tasks/${sent.body.task.id}`, { token: me })).json();
      expect(old).toMatchObject({ status: 'cancelled', cancelRequested: true });
    });

    it('answers 404 for another visitor’s message, 400 for bad content or metadata, 413 for metadata over the limit', async () => {
      const { question } = await answered();
      expect((await post(other, `/api/messages/${question.id}/edit`, { content: 'Mine now', idempotencyKey: key() })).status).toBe(404);
      for (const json of [
        { content: '   ', idempotencyKey: key() },
        { content: 'x'.repeat(16_001), idempotencyKey: key() },
        { content: 'ok' },
        { content: 'ok', idempotencyKey: key(), metadata: ['a'] },
        { content: 'ok', idempotencyKey: key(), metadata: 'page' },
      ]) {
        expect((await post(me, `/api/messages/${question.id}/edit`, json)).status).toBe(400);
      }
      const big = await post(me, `/api/messages/${question.id}/edit`, {
        content: 'ok',
        idempotencyKey: key(),
        metadata: { note: 'x'.repeat(300) },
      });
      expect([big.status, big.body.error.code]).toEqual([413, 'payload_too_large']);
      expect(big.body.error.message).toMatch(/METADATA_MAX_BYTES/);
    });
  });

  describe('metadata on POST /api/chat/send', () => {
    it('is stored with the message, handed to the worker in the task input, and limited', async () => {
      const sent = await t.send(me, { content: 'Is it in stock?', idempotencyKey: key(), metadata: { sku: 'A-113', qty: 2 } });
      expect(sent.status).toBe(201);
      expect(sent.body.message.metadata).toEqual({ sku: 'A-113', qty: 2 });
      const input = await db.asService((tx) =>
        tx.query<{ input: unknown }>('select input from public.async_tasks where id = $1::uuid', [sent.body.task.id]),
      );
      expect(input.rows[0]!.input).toMatchObject({ metadata: { sku: 'A-113', qty: 2 } });

      const big = await t.send(me, { content: 'x', idempotencyKey: key(), metadata: { note: 'x'.repeat(300) } });
      expect([big.status, big.body.error.code]).toEqual([413, 'payload_too_large']);
      for (const metadata of [[1], 'x', 3]) expect((await t.send(me, { content: 'x', idempotencyKey: key(), metadata })).status).toBe(400);
      expect((await t.send(me, { content: 'x', idempotencyKey: key(), metadata: null })).status).toBe(201);
    });
  });
});
