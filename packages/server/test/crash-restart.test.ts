import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@app/db';
import { checkRequirement, freePort, requirements, startProcess, type StartedProcess } from '@app/test-support';
import { startFakeLlmServer, type FakeLlmServer } from './support/fake-llm-server.js';
import { key, TEST_SECRET } from './support/test-app.js';

const hasPostgres = checkRequirement(requirements.postgres);
const serverDir = fileURLToPath(new URL('..', import.meta.url));

describe.runIf(hasPostgres)('the server process', () => {
  let database: { url: string; drop(): Promise<void> };
  let llm: FakeLlmServer;
  let port: number;
  let proc: StartedProcess | undefined;
  let sql: pg.Client;

  const start = async (env: Record<string, string> = {}) => {
    proc = await startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      ready: /running at http/i,
      timeoutMs: 90_000,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: String(port),
        JWT_SECRET: TEST_SECRET,
        LLM_BASE_URL: llm.url,
        LLM_API_KEY: 'test',
        LLM_MAX_RETRIES: '0',
        RUNNER_POLL_INTERVAL_MS: '200',
        SWEEP_INTERVAL_MS: '300',
        LOG_LEVEL: 'warn',
        ...env,
      },
    });
  };
  const api = (path: string, init: { token?: string; json?: unknown; method?: string } = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: init.method ?? (init.json ? 'POST' : 'GET'),
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), 'content-type': 'application/json' },
      ...(init.json ? { body: JSON.stringify(init.json) } : {}),
    });
  const sendOne = async () => {
    const { accessToken } = await (await api('/api/session', { method: 'POST' })).json();
    const sent = await (
      await api('/api/chat/send', { token: accessToken, json: { content: 'survive this', idempotencyKey: key() } })
    ).json();
    return { token: accessToken as string, taskId: sent.task.id as string };
  };
  const taskRow = async (id: string) => (await sql.query('select * from async_tasks where id = $1', [id])).rows[0];

  beforeAll(async () => {
    database = await createTestDatabase();
    llm = await startFakeLlmServer();
    port = await freePort();
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
  });

  afterAll(async () => {
    await proc?.stop('SIGKILL');
    await sql?.end();
    await llm?.close();
    await database?.drop();
  });

  it('killed with SIGKILL mid-task and restarted: the task ends completed with one reply, not stuck', async () => {
    await start();
    llm.enqueue({ hang: true });
    const { taskId } = await sendOne();
    await expect.poll(() => llm.requests.length, { timeout: 30_000 }).toBe(1);
    await proc!.stop('SIGKILL');
    expect((await taskRow(taskId)).status).toBe('processing');

    // The attempt's deadline is 120 s away; let it pass instead of waiting for it.
    await sql.query("update async_tasks set deadline_at = now() - interval '1 second' where id = $1", [taskId]);
    llm.setFallback({ content: 'after the crash' });
    await start();
    await expect.poll(async () => (await taskRow(taskId)).status, { timeout: 60_000, interval: 200 }).toBe('completed');
    const task = await taskRow(taskId);
    expect(task.attempt).toBe(2);
    const replies = await sql.query("select content from chat_messages where async_task_id = $1 and role = 'assistant'", [taskId]);
    expect(replies.rows).toEqual([{ content: 'after the crash' }]);
    await proc!.stop();
  });

  it('on SIGTERM releases the task in flight within the grace period and exits 0', async () => {
    await start({ SHUTDOWN_GRACE_MS: '300' });
    llm.enqueue({ hang: true });
    const before = llm.requests.length;
    const { taskId } = await sendOne();
    await expect.poll(() => llm.requests.length, { timeout: 30_000 }).toBe(before + 1);
    const exited = new Promise<number | null>((resolve) => proc!.child.once('exit', (code) => resolve(code)));
    proc!.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const task = await taskRow(taskId);
    expect(task.status).toBe('pending');
    expect(task.error).toMatchObject({ code: 'interrupted', retryable: true });
  });

  it('stops with a message naming the variable when the configuration is wrong', async () => {
    await expect(start({ PORT: 'eighty' })).rejects.toThrow(/PORT: expected a whole number/);
  });
});
