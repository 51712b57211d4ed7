import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatSession, createHttpTransport, createTaskClient } from '@app/async-tasks';
import type { SendChatResult } from '@app/async-tasks/contract';
import { checkRequirement, requirements } from '@app/test-support';
import { createVisitor, type Visitor } from './support/chat-api.js';
import { startChatStack, type ChatStack } from './support/chat-stack.js';
import { installN8n } from './support/n8n-requirement.js';
import { replyTracker } from '../../packages/server/test/support/reply-tracker.js';
import { readSse } from '../../packages/server/test/support/sse-reader.js';
import { png } from '../../packages/server/test/support/upload-files.js';
import { assistantMessages, isTerminal, readTask, statusMessages, taskLog, waitForTask } from './support/observe.js';

const n8n = await installN8n();
const run = checkRequirement(requirements.postgres) && checkRequirement(n8n.requirement);

describe.skipIf(!run)('chat reply workflow in a real n8n 1.110.1', () => {
  let stack: ChatStack;
  let visitor: Visitor;
  const SYSTEM = { role: 'system', content: 'You are the test assistant.' };

  beforeAll(async () => {
    stack = await startChatStack(n8n.bin);
    visitor = await createVisitor(stack.server.url);
  });
  afterAll(async () => {
    if (process.env.N8N_E2E_SHOW_LOGS && stack) console.info(stack.n8nOutput());
    await stack?.stop();
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail' && stack) {
      console.error(`--- n8n output (tail) ---\n${stack.n8nOutput().slice(-6000)}`);
      console.error(`--- server output (tail) ---\n${stack.server.output().slice(-4000)}`);
    }
    stack?.llm.setFallback({});
  });

  it('answers with the status messages in order, saves the reply once and records the execution id', async () => {
    const sent = await visitor.send('Hello from the n8n test');
    const task = await waitForTask(stack.db.admin, sent.task.id, isTerminal);

    expect(task.status).toBe('completed');
    expect(task.attempt).toBe(1);
    expect(task.execution_id).toMatch(/^\d+$/);
    expect(await statusMessages(stack.db.admin, task.id)).toEqual(['Reading the conversation…', 'AI is thinking…']);
    const statuses = (await taskLog(stack.db.admin, task.id)).map((row) => row.status);
    expect([...new Set(statuses)]).toEqual(['pending', 'processing', 'completed']);
    expect(await assistantMessages(stack.db.admin, task.id)).toEqual(['Echo: Hello from the n8n test']);

    const request = stack.llm.requests.at(-1)!;
    expect(request.headers.authorization).toBe('Bearer test-llm-key');
    expect(request.body.model).toBe('fake-model');
    expect(request.body.messages).toEqual([SYSTEM, { role: 'user', content: 'Hello from the n8n test' }]);

    const conversation = await visitor.conversation(sent.conversationId);
    expect(conversation.messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hello from the n8n test'],
      ['assistant', 'Echo: Hello from the n8n test'],
    ]);
  });

  it('a visitor using the SDK (HTTP transport, chat session) sees the statuses live, then the reply once', async () => {
    const transport = createHttpTransport({ baseUrl: stack.server.url, storage: null, connectivity: null, visibility: null });
    const chat = createChatSession({ client: createTaskClient({ transport }), storage: null, BroadcastChannel: null });
    const seen: string[] = [];
    const stopWatching = chat.$activeTask.subscribe((task) => {
      if (task?.statusMessage && seen.at(-1) !== task.statusMessage) seen.push(task.statusMessage);
    });
    const stopMessages = chat.$messages.subscribe(() => undefined);
    try {
      stack.llm.enqueue({ delayMs: 1500, content: 'Hello, SDK visitor.' });
      await chat.send('Hi from the SDK');
      await vi.waitFor(
        () =>
          expect(
            chat.$messages
              .get()
              .filter((m) => m.role === 'assistant')
              .map((m) => m.content),
          ).toEqual(['Hello, SDK visitor.']),
        { timeout: 60_000, interval: 100 },
      );
      // "Reading the conversation…" lasts milliseconds and may be merged away; the order may not change.
      expect(seen).toContain('AI is thinking…');
      expect(['Reading the conversation…', 'AI is thinking…'].filter((m) => seen.includes(m))).toEqual(seen);
    } finally {
      stopWatching();
      stopMessages();
      chat.destroy();
    }
  });

  it('streams the reply through the relay: the status steps, then the text growing while the workflow waits, then one reply', async () => {
    const reply = 'Streamed through the relay, word by word.';
    const before = stack.llm.requests.length;
    // Three words, then the fake LLM waits: whatever the visitor has by then came before the LLM
    // node had its answer, so before the workflow could complete the task.
    stack.llm.enqueue({ content: reply, holdAfterChunks: 3 });
    const sent = await visitor.send('Stream me a reply');
    const taskId = sent.task.id;
    const sse = readSse(await visitor.stream(`/api/tasks/${taskId}/stream`));
    const replies = replyTracker();
    try {
      while (replies.task(taskId)?.partialText !== 'Streamed through the ') replies.apply(await sse.next());
      expect(await readTask(stack.db.admin, taskId)).toMatchObject({ status: 'processing', partial_text: 'Streamed through the ' });
      expect(await assistantMessages(stack.db.admin, taskId)).toEqual([]);
      stack.llm.release();
      while (replies.task(taskId)?.status !== 'completed') replies.apply(await sse.next());
    } finally {
      await sse.close();
    }
    expect(replies.unapplied).toBe(0);
    for (const text of replies.texts(taskId)) expect(reply.startsWith(text), text).toBe(true);
    expect(await assistantMessages(stack.db.admin, taskId)).toEqual([reply]);

    // The rows in order: both status steps, then the growing text, then the completion (text cleared).
    const log = await taskLog(stack.db.admin, taskId);
    const reading = log.findIndex((r) => r.status_message === 'Reading the conversation…');
    const thinking = log.findIndex((r) => r.status_message === 'AI is thinking…');
    const firstText = log.findIndex((r) => r.partial_text !== null);
    const completed = log.findIndex((r) => r.status === 'completed');
    expect(reading, JSON.stringify(log)).toBeGreaterThanOrEqual(0);
    expect([reading < thinking, thinking < firstText, firstText < completed]).toEqual([true, true, true]);
    expect(log.slice(firstText, completed).every((r) => r.partial_text !== null && reply.startsWith(r.partial_text))).toBe(true);
    expect(log[completed]!.partial_text).toBeNull();

    // The server's relay called the LLM, streamed, with n8n's credential and the workflow's request.
    expect(stack.llm.requests.length - before).toBe(1);
    const request = stack.llm.requests[before]!;
    expect(request).toMatchObject({ streamed: true, aborted: false, body: { model: 'fake-model', stream: true } });
    expect(request.headers.authorization).toBe('Bearer test-llm-key');
    expect(request.body.messages).toEqual([SYSTEM, { role: 'user', content: 'Stream me a reply' }]);
  });

  it('Stop mid-reply: the relay closes the upstream connection, the task ends cancelled with its text, no reply', async () => {
    const before = stack.llm.requests.length;
    stack.llm.enqueue({ content: 'This reply is stopped halfway through.', holdAfterChunks: 2 });
    const sent = await visitor.send('Start, then stop');
    const taskId = sent.task.id;
    await waitForTask(stack.db.admin, taskId, (t) => t.partial_text === 'This reply ');

    const cancelling = await visitor.cancel(taskId);
    expect(cancelling.cancelRequested).toBe(true);
    // The fake LLM is still holding the rest of its reply: only the relay can have closed the connection.
    await vi.waitFor(() => expect(stack.llm.requests[before]!.aborted).toBe(true), { timeout: 30_000, interval: 100 });
    const task = await waitForTask(stack.db.admin, taskId, isTerminal);
    expect(task).toMatchObject({ status: 'cancelled', partial_text: 'This reply ' });
    expect(await visitor.task(taskId)).toMatchObject({ status: 'cancelled', partialText: 'This reply ' });
    expect(await assistantMessages(stack.db.admin, taskId)).toEqual([]);
    expect(stack.llm.requests.length - before).toBe(1);
  });

  it('passes an image to the model: the dispatch carries its download URL, the workflow an image_url part, the relay the image', async () => {
    const before = stack.llm.requests.length;
    stack.llm.enqueue({ content: 'The screenshot error.png shows a blue box.' });
    const image = await png(14, 7, '#2255ee');
    const upload = await visitor.upload(image, 'error.png');
    const sent = await visitor.send('What does my screenshot show?', undefined, [upload.id]);
    const task = await waitForTask(stack.db.admin, sent.task.id, isTerminal);
    expect(task.status).toBe('completed');
    expect(await assistantMessages(stack.db.admin, task.id)).toEqual(['The screenshot error.png shows a blue box.']);

    const request = stack.llm.requests[before]!;
    const last = request.body.messages!.at(-1)! as unknown as {
      role: string;
      content: { type: string; text?: string; image_url?: { url: string } }[];
    };
    expect(last.role).toBe('user');
    expect(last.content[0]).toEqual({ type: 'text', text: 'What does my screenshot show?' });
    expect(last.content).toContainEqual({ type: 'text', text: '[Attached image: error.png]' });
    const part = last.content.find((p) => p.type === 'image_url')!;
    expect(part.image_url!.url).toMatch(/^data:image\/png;base64,/);
    // The stored PNG itself: its IHDR says 14 × 7.
    const sentPng = Buffer.from(part.image_url!.url.split(',')[1]!, 'base64');
    expect([sentPng.readUInt32BE(16), sentPng.readUInt32BE(20)]).toEqual([14, 7]);
  });

  it('reads the conversation from the database: a follow-up sends the earlier turns to the LLM', async () => {
    const first = await visitor.send('My name is Ada.');
    await waitForTask(stack.db.admin, first.task.id, (t) => t.status === 'completed');
    const second = await visitor.send('What is my name?', first.conversationId);
    await waitForTask(stack.db.admin, second.task.id, (t) => t.status === 'completed');

    expect(stack.llm.requests.at(-1)!.body.messages).toEqual([
      SYSTEM,
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: 'Echo: My name is Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);
  });

  it('hands the message metadata to the workflow: the system prompt template takes the key it names', async () => {
    const sent = await visitor.post<SendChatResult>('/api/chat/send', {
      content: 'With context',
      idempotencyKey: randomUUID(),
      metadata: { testNote: ' The visitor is on /pricing.', other: 'not in the prompt' },
    });
    await waitForTask(stack.db.admin, sent.task.id, (t) => t.status === 'completed');
    expect(stack.llm.requests.at(-1)!.body.messages).toEqual([
      { role: 'system', content: 'You are the test assistant. The visitor is on /pricing.' },
      { role: 'user', content: 'With context' },
    ]);
  });

  it('regenerate and edit: the new reply is made by the workflow without the replaced messages in its history', async () => {
    const first = await visitor.send('Question one');
    await waitForTask(stack.db.admin, first.task.id, (t) => t.status === 'completed');
    const regenerated = await visitor.post<SendChatResult>(`/api/messages/${first.message.id}/regenerate`, {
      idempotencyKey: randomUUID(),
    });
    await waitForTask(stack.db.admin, regenerated.task.id, (t) => t.status === 'completed');
    expect(stack.llm.requests.at(-1)!.body.messages).toEqual([SYSTEM, { role: 'user', content: 'Question one' }]);

    const edited = await visitor.post<SendChatResult>(`/api/messages/${first.message.id}/edit`, {
      content: 'Question two',
      idempotencyKey: randomUUID(),
    });
    await waitForTask(stack.db.admin, edited.task.id, (t) => t.status === 'completed');
    expect(stack.llm.requests.at(-1)!.body.messages).toEqual([SYSTEM, { role: 'user', content: 'Question two' }]);
    const page = await visitor.conversation(first.conversationId);
    const thread = page.messages.filter((m) => !m.replacedByTaskId).map((m) => [m.role, m.content]);
    expect(thread).toEqual([
      ['user', 'Question two'],
      ['assistant', 'Echo: Question two'],
    ]);
  });

  it('retries the LLM inside the attempt: 500 twice, then a reply, saved once', async () => {
    const before = stack.llm.requests.length;
    stack.llm.enqueue({ status: 500 }, { status: 500 }, { content: 'Third time lucky.' });
    const sent = await visitor.send('Flaky model, please');
    const task = await waitForTask(stack.db.admin, sent.task.id, isTerminal);

    expect(task.status).toBe('completed');
    expect(task.attempt).toBe(1);
    expect(stack.llm.requests.length - before).toBe(3);
    expect(await assistantMessages(stack.db.admin, task.id)).toEqual(['Third time lucky.']);
  });

  it('an empty LLM answer is a retryable llm_bad_response; the next attempt replies', async () => {
    stack.llm.enqueue({ body: { choices: [] } });
    const sent = await visitor.send('Say nothing');
    const task = await waitForTask(stack.db.admin, sent.task.id, isTerminal);

    expect(task.status).toBe('completed');
    expect(task.attempt).toBe(2);
    const log = await taskLog(stack.db.admin, task.id);
    expect(
      log.map((r) => r.error?.code),
      JSON.stringify(log),
    ).toContain('llm_bad_response');
    expect(await assistantMessages(stack.db.admin, task.id)).toEqual(['Echo: Say nothing']);
  });

  it('trims an over-long answer to the 16,000 characters a message holds', async () => {
    stack.llm.enqueue({ content: 'x'.repeat(16_500) });
    const sent = await visitor.send('Write a lot');
    await waitForTask(stack.db.admin, sent.task.id, (t) => t.status === 'completed');

    const [reply] = await assistantMessages(stack.db.admin, sent.task.id);
    expect(reply).toHaveLength(16_000);
    expect(reply!.endsWith('x…')).toBe(true);
  });

  it('fails the task with a visible, retryable error when the LLM stays unavailable', async () => {
    stack.llm.setFallback({ status: 503 });
    const sent = await visitor.send('Nobody home?');
    const task = await waitForTask(stack.db.admin, sent.task.id, isTerminal, 150_000);

    expect(task.status).toBe('failed');
    expect(task.attempt).toBe(task.max_attempts);
    expect(task.error).toMatchObject({ code: 'llm_unavailable', retryable: true, details: { status: 503 } });
    const seen = await visitor.task(task.id);
    expect(seen.error?.message).toMatch(/AI service is not available/);
    expect(await assistantMessages(stack.db.admin, task.id)).toEqual([]);
  });

  it('fails at once, not retryable, when the LLM rejects the request (4xx)', async () => {
    stack.llm.setFallback({ status: 400, body: { error: { message: 'model not found' } } });
    const sent = await visitor.send('Use a model that does not exist');
    const task = await waitForTask(stack.db.admin, sent.task.id, isTerminal);

    expect(task.status).toBe('failed');
    expect(task.attempt).toBe(1);
    expect(task.error).toMatchObject({ code: 'llm_rejected', retryable: false, details: { status: 400 } });
    expect(await assistantMessages(stack.db.admin, task.id)).toEqual([]);
  });

  it('writes no reply when the visitor cancels while the LLM is working', async () => {
    const before = stack.llm.requests.length;
    stack.llm.enqueue({ delayMs: 3000, content: 'Too late.' });
    const sent = await visitor.send('Actually, never mind');
    await waitForTask(stack.db.admin, sent.task.id, (t) => t.status_message === 'AI is thinking…');
    await vi.waitFor(() => expect(stack.llm.requests.length).toBe(before + 1), { timeout: 30_000 });

    const cancelling = await visitor.cancel(sent.task.id);
    expect(cancelling.cancelRequested).toBe(true);
    const task = await waitForTask(stack.db.admin, sent.task.id, isTerminal);

    expect(task.status).toBe('cancelled');
    expect(await assistantMessages(stack.db.admin, task.id)).toEqual([]);
  });

  it('rejects a request with a bad signature without touching the task', async () => {
    const task = await parkedTask(stack, 'Signed or not?');
    const body = JSON.stringify({ taskId: task.id, attempt: task.attempt, kind: 'chat.reply', conversationId: task.conversation_id });
    const forged = await postSigned(stack.webhookUrl, 'not-the-secret', body);
    expect(forged.status).toBe(200); // onReceived: n8n answers before the workflow looks at it
    const stale = await postSigned(stack.webhookUrl, stack.webhookSecret, body, Math.floor(Date.now() / 1000) - 3600);
    expect(stale.status).toBe(200);
    // Give both executions time to run: the task must still be untouched afterwards.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await readTask(stack.db.admin, task.id)).toMatchObject({ status: 'pending', attempt: 1, execution_id: null });
    const genuine = await postSigned(stack.webhookUrl, stack.webhookSecret, body);
    expect(genuine.status).toBe(200);

    const done = await waitForTask(stack.db.admin, task.id, isTerminal);
    expect(done.status).toBe('completed');
    // Only the genuine request's execution ever reached the database.
    const log = await stack.db.admin.query<{ execution_id: string | null }>(
      'select distinct execution_id from public.test_task_log where task_id = $1 and execution_id is not null',
      [task.id],
    );
    expect(log.rows.map((r) => r.execution_id)).toEqual([done.execution_id]);
    expect(await assistantMessages(stack.db.admin, task.id)).toEqual(['Echo: Signed or not?']);
  });

  it('recovers when n8n dies mid-run: the attempt is ended (sweep timeout or crash recovery) and the retry replies once', async () => {
    const before = stack.llm.requests.length;
    stack.llm.enqueue({ hang: true });
    const sent = await visitor.send('Survive a crash');
    await waitForTask(stack.db.admin, sent.task.id, (t) => t.status_message === 'AI is thinking…');
    await vi.waitFor(() => expect(stack.llm.requests.length).toBe(before + 1), { timeout: 30_000 });

    await stack.killMain();
    await stack.restartMain();
    // The attempt's budget (timeout_seconds, 120 s by default) runs out: simulated, not waited for.
    await stack.db.admin.query('update public.async_tasks set deadline_at = now() where id = $1', [sent.task.id]);
    const task = await waitForTask(stack.db.admin, sent.task.id, isTerminal);

    expect(task.status).toBe('completed');
    expect(task.attempt).toBe(2);
    // Either the sweep timed the attempt out, or the restarted n8n recovered the crashed execution
    // and its error workflow failed the attempt first: both end the attempt and retry it.
    const codes = (await taskLog(stack.db.admin, task.id)).map((r) => r.error?.code).filter(Boolean);
    expect(
      codes.some((code) => code === 'timeout' || code === 'workflow_crashed'),
      codes.join(', '),
    ).toBe(true);
    expect(await assistantMessages(stack.db.admin, task.id)).toEqual(['Echo: Survive a crash']);
  });

  it('the error workflow fails the task when an execution crashes outside the error path; the retry replies', async () => {
    // Make the error path itself fail: the workflow may not call task_fail for a moment.
    await stack.db.admin.query('revoke execute on function public.task_fail(uuid, integer, text, text, boolean, jsonb) from async_worker');
    let taskId: string;
    try {
      stack.llm.enqueue({ status: 400 }, { status: 400 }, { status: 400 });
      const sent = await visitor.send('Crash the error path');
      taskId = sent.task.id;
      await vi.waitFor(
        async () => {
          const codes = (await taskLog(stack.db.admin, taskId)).map((r) => r.error?.code);
          expect(codes).toContain('workflow_crashed');
        },
        { timeout: 60_000, interval: 250 },
      );
    } finally {
      await stack.db.admin.query('grant execute on function public.task_fail(uuid, integer, text, text, boolean, jsonb) to async_worker');
    }
    const crashed = (await taskLog(stack.db.admin, taskId)).find((r) => r.error?.code === 'workflow_crashed')!;
    expect(crashed.error).toMatchObject({
      message: expect.stringMatching(/stopped unexpectedly/),
      retryable: true,
      details: { lastNode: 'Fail task' },
    });
    const task = await waitForTask(stack.db.admin, taskId, isTerminal);
    expect(task.status).toBe('completed');
    expect(task.attempt).toBe(2);
    expect(await assistantMessages(stack.db.admin, taskId)).toEqual(['Echo: Crash the error path']);
  });

  // Last: it leaves n8n stopped.
  it('fails clearly, never stuck, when n8n dies mid-run and stays down', async () => {
    const before = stack.llm.requests.length;
    stack.llm.enqueue({ hang: true });
    const sent = await visitor.send('Nobody will answer this');
    await waitForTask(stack.db.admin, sent.task.id, (t) => t.status_message === 'AI is thinking…');
    await vi.waitFor(() => expect(stack.llm.requests.length).toBe(before + 1), { timeout: 30_000 });

    await stack.killMain();
    await stack.db.admin.query('update public.async_tasks set deadline_at = now() where id = $1', [sent.task.id]);
    const task = await waitForTask(stack.db.admin, sent.task.id, isTerminal);

    expect(task.status).toBe('failed');
    expect(task.attempt).toBe(task.max_attempts);
    expect(task.error).toMatchObject({ code: 'dispatch_failed', retryable: true });
    expect((await taskLog(stack.db.admin, task.id)).some((r) => r.error?.code === 'timeout')).toBe(true);
    expect((await visitor.task(task.id)).error?.message).toMatch(/could not be reached/);
    expect(await assistantMessages(stack.db.admin, task.id)).toEqual([]);
  });
});

/** A chat task the server will not dispatch: due in an hour, then claimed by the test itself. */
async function parkedTask(stack: ChatStack, content: string) {
  const client = await stack.db.admin.connect();
  try {
    await client.query('begin');
    await client.query("select set_config('request.jwt.claims', $1, true)", [JSON.stringify({ sub: randomUUID(), role: 'authenticated' })]);
    const { rows } = await client.query<{ r: { task: { id: string } } }>('select public.send_chat_message(null, $1, $2) as r', [
      content,
      randomUUID(),
    ]);
    const taskId = rows[0]!.r.task.id;
    await client.query("update public.async_tasks set next_attempt_at = now() + interval '1 hour' where id = $1", [taskId]);
    await client.query('commit');
    await client.query('begin');
    await client.query("update public.async_tasks set next_attempt_at = now() - interval '1 hour' where id = $1", [taskId]);
    const claimed = await client.query<{ id: string }>("select id from public.task_claim(10, array['chat.reply'])");
    expect(claimed.rows.map((r) => r.id)).toEqual([taskId]);
    await client.query('commit');
    return await readTask(stack.db.admin, taskId);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** POSTs like the server's dispatcher (contracts.md section 4), with any secret and timestamp. */
function postSigned(url: string, secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const id = `${JSON.parse(body).taskId}.${JSON.parse(body).attempt}`;
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestamp}.${body}`).digest('base64');
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': `v1,${signature}`,
    },
    body,
  });
}
