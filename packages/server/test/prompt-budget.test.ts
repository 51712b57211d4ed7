import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@app/db';
import { checkRequirement, requirements } from '@app/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { type RunningServer, startServer } from '../src/server.js';
import { type FakeLlmServer, startFakeLlmServer } from './support/fake-llm-server.js';
import { key, testConfig } from './support/test-app.js';

// PROMPT_MAX_CHARS reaches the model: the server passes it to task_conversation_history, which
// keeps the newest messages that fit and always the one being answered.
const setups = [
  {
    engine: 'PGlite',
    enabled: true,
    database: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'prompt-budget-'));
      return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    engine: 'PostgreSQL',
    enabled: checkRequirement(requirements.postgres),
    database: async () => {
      const db = await createTestDatabase();
      return { env: { DATABASE_URL: db.url }, drop: db.drop };
    },
  },
];

describe.each(setups.filter((s) => s.enabled))('the prompt budget, on $engine', ({ database }) => {
  let llm: FakeLlmServer;
  let server: RunningServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    llm = await startFakeLlmServer();
    const made = await database();
    drop = made.drop;
    const config = testConfig({
      ...made.env,
      PORT: '0',
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: 'test',
      LLM_SYSTEM_PROMPT: 'Be brief.',
      RUNNER_POLL_INTERVAL_MS: '50',
      PROMPT_MAX_CHARS: '10000',
    });
    server = await startServer(config, { logger: createLogger('silent') });
  });
  afterAll(async () => {
    await server?.stop();
    await llm?.close();
    await drop?.();
  });

  const call = async (path: string, init: { token?: string; json?: unknown } = {}) => {
    const res = await fetch(`${server.url}${path}`, {
      method: init.json === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
    return (await res.json()) as any;
  };

  it('sends the newest messages that fit, and the question whole', async () => {
    const { accessToken: token } = await call('/api/session', { json: {} });
    let conversationId: string | null = null;
    // Each question is answered "Echo: <question>" by the fake model before the next is sent.
    for (const content of ['a'.repeat(6000), 'b'.repeat(6000), 'c'.repeat(2000)]) {
      const sent = await call('/api/chat/send', { token, json: { conversationId, content, idempotencyKey: key() } });
      conversationId = sent.conversationId;
      await expect
        .poll(async () => (await call(`/api/tasks/${sent.task.id}`, { token })).status, { timeout: 30_000, interval: 50 })
        .toBe('completed');
    }
    const prompts = llm.requests.map((r) => r.body.messages!.map((m) => `${m.role}:${m.content.length}`));
    expect(prompts).toEqual([
      ['system:9', 'user:6000'],
      // The question (6,000) leaves 4,000: the answer before it (6,006) does not fit, nor anything older.
      ['system:9', 'user:6000'],
      // The question (2,000) leaves 8,000: the last answer (6,006) fits, the question before it does not.
      ['system:9', 'assistant:6006', 'user:2000'],
    ]);
  });

  it('a question over the budget goes alone, not cut', async () => {
    const { accessToken: token } = await call('/api/session', { json: {} });
    llm.requests.length = 0;
    const first = await call('/api/chat/send', { token, json: { content: 'hello', idempotencyKey: key() } });
    await expect.poll(async () => (await call(`/api/tasks/${first.task.id}`, { token })).status, { timeout: 30_000 }).toBe('completed');
    const long = await call('/api/chat/send', {
      token,
      json: { conversationId: first.conversationId, content: 'd'.repeat(12_000), idempotencyKey: key() },
    });
    await expect.poll(async () => (await call(`/api/tasks/${long.task.id}`, { token })).status, { timeout: 30_000 }).toBe('completed');
    expect(llm.requests.at(-1)!.body.messages!.map((m) => `${m.role}:${m.content.length}`)).toEqual(['system:9', 'user:12000']);
  });
});
