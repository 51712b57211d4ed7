import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@app/test-support';
import type { Database } from '@app/db';
import { key, memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';
import { createLogger } from '../logger.js';
import { verifyRelayToken } from '../relay/relay-token.js';
import { verifyWebhook } from '../webhooks/standard-webhooks.js';
import { createN8nDispatcher } from './n8n-dispatcher.js';

const SECRET = 'n8n-shared-secret';
const RELAY_URL = 'https://chat.example.com/';
let db: Database;
let t: TestApp;
let server: Server;
let url: string;
let answer = 200;
const received: Array<{ headers: Record<string, string>; body: string }> = [];

beforeAll(async () => {
  db = await memoryDatabase();
  t = await testApp(db);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/chat`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await db.close();
});

const taskRow = async (id: string) =>
  (await db.asService((tx) => tx.query<Record<string, any>>('select * from async_tasks where id = $1', [id]))).rows[0]!;

describe('the n8n dispatcher', () => {
  it('POSTs each due task once, signed, and leaves it dispatched', async () => {
    answer = 200;
    const v = await t.visitor();
    const { body } = await t.send(v.token, { content: 'to n8n', idempotencyKey: key(), metadata: { page: '/n8n' } });
    const dispatcher = createN8nDispatcher({
      db,
      hub: t.hub,
      logger: createLogger('silent'),
      webhookUrl: url,
      secret: SECRET,
      relayPublicUrl: RELAY_URL,
      concurrency: 2,
      pollIntervalMs: 100,
    });
    dispatcher.start();
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(1);
    await dispatcher.stop();
    const request = received[0]!;
    expect(JSON.parse(request.body)).toMatchObject({
      taskId: body.task.id,
      attempt: 1,
      kind: 'chat.reply',
      conversationId: body.conversationId,
      metadata: { page: '/n8n' }, // the message's metadata, from the task's input
    });
    expect(request.headers['webhook-id']).toBe(`${body.task.id}.1`);
    const check = verifyWebhook(
      SECRET,
      {
        id: request.headers['webhook-id'],
        timestamp: request.headers['webhook-timestamp'],
        signature: request.headers['webhook-signature'],
      },
      request.body,
    );
    expect(check.ok).toBe(true);
    const task = await taskRow(body.task.id);
    expect(task.status).toBe('pending');
    expect(task.dispatched_at).not.toBeNull();

    // The LLM relay of this attempt: a token signed for exactly this task and attempt, good until its deadline.
    const { llm, deadlineAt } = JSON.parse(request.body) as { llm: { baseUrl: string }; deadlineAt: string };
    expect(deadlineAt).toBe(task.deadline_at.toISOString());
    const prefix = 'https://chat.example.com/api/llm-relay/';
    expect(llm.baseUrl.startsWith(prefix)).toBe(true);
    const token = llm.baseUrl.slice(prefix.length);
    expect(verifyRelayToken(SECRET, token)).toEqual({
      ok: true,
      grant: { taskId: body.task.id, attempt: 1, expires: Math.ceil(task.deadline_at.getTime() / 1000) },
    });
    expect(verifyRelayToken('another-secret', token)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('retries while the webhook is down, then fails the task with dispatch_failed', async () => {
    answer = 503;
    received.length = 0;
    const v = await t.visitor();
    const res = await t.request('/api/tasks', {
      method: 'POST',
      token: v.token,
      json: { kind: 'report.build', input: {}, idempotencyKey: key(), maxAttempts: 2 },
    });
    const id = (await res.json()).id;
    const dispatcher = createN8nDispatcher({
      db,
      hub: t.hub,
      logger: createLogger('silent'),
      webhookUrl: url,
      secret: SECRET,
      relayPublicUrl: RELAY_URL,
      concurrency: 2,
      pollIntervalMs: 100,
    });
    dispatcher.start();
    await expect.poll(async () => (await taskRow(id)).status, { timeout: 30_000, interval: 100 }).toBe('failed');
    await dispatcher.stop();
    const task = await taskRow(id);
    expect(task.attempt).toBe(2);
    expect(task.error).toMatchObject({ code: 'dispatch_failed', retryable: true });
    expect(received.filter((r) => JSON.parse(r.body).taskId === id)).toHaveLength(2);
  });

  it('says why the webhook could not be reached: a closed port is "connection refused"', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/webhook`;
    const v = await t.visitor();
    const res = await t.request('/api/tasks', {
      method: 'POST',
      token: v.token,
      json: { kind: 'report.build', input: {}, idempotencyKey: key(), maxAttempts: 1 },
    });
    const id = (await res.json()).id;
    const dispatcher = createN8nDispatcher({
      db,
      hub: t.hub,
      logger: createLogger('silent'),
      webhookUrl: closed,
      secret: SECRET,
      relayPublicUrl: RELAY_URL,
      concurrency: 2,
      pollIntervalMs: 100,
    });
    dispatcher.start();
    await expect.poll(async () => (await taskRow(id)).status, { timeout: 30_000, interval: 100 }).toBe('failed');
    await dispatcher.stop();
    expect((await taskRow(id)).error).toMatchObject({
      code: 'dispatch_failed',
      message: 'the workflow webhook could not be reached (connection refused)',
    });
  });
});
