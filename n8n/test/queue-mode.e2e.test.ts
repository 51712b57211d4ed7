import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkRequirement, requirements } from '@app/test-support';
import { createVisitor } from './support/chat-api.js';
import { startChatStack, type ChatStack } from './support/chat-stack.js';
import { installN8n, redisRequirement } from './support/n8n-requirement.js';
import { assistantMessages, isTerminal, statusMessages, taskLog, waitForTask } from './support/observe.js';
import { redisAnswers } from './support/redis.js';

const n8n = await installN8n();
const run =
  checkRequirement(requirements.postgres) && checkRequirement(n8n.requirement) && checkRequirement(redisRequirement(await redisAnswers()));

describe.skipIf(!run)('the same chat workflow in n8n queue mode (main + 2 workers over Redis, 2 server replicas)', () => {
  let stack: ChatStack;

  beforeAll(async () => {
    // Redis DB 11 and a random Bull prefix: nothing else on this Redis is touched.
    // The deployment compose.yaml describes: two server replicas on one PostgreSQL behind a proxy.
    stack = await startChatStack(n8n.bin, { queue: { workers: 2, redisDb: 11 }, servers: 2 });
  });
  afterAll(async () => {
    await stack?.stop();
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail' && stack) console.error(`--- n8n output (tail) ---\n${stack.n8nOutput().slice(-8000)}`);
  });

  it('workers run the unchanged workflow: every message gets its statuses and exactly one reply', async () => {
    // Each visitor's requests alternate between the replicas: the session from one, the send on the other.
    const visitors = await Promise.all([1, 2, 3, 4].map(() => createVisitor(stack.servers.map((s) => s.url))));
    const sent = await Promise.all(visitors.map((visitor, i) => visitor.send(`Queue mode message ${i + 1}`)));

    for (const [i, message] of sent.entries()) {
      const task = await waitForTask(stack.db.admin, message.task.id, isTerminal);
      expect(task.status).toBe('completed');
      expect(await statusMessages(stack.db.admin, task.id)).toEqual(['Reading the conversation…', 'AI is thinking…']);
      expect(await assistantMessages(stack.db.admin, task.id)).toEqual([`Echo: Queue mode message ${i + 1}`]);
      // The worker's LLM node called the server's relay: the text was in the task before it completed.
      const log = await taskLog(stack.db.admin, task.id);
      const firstText = log.findIndex((r) => r.partial_text !== null);
      expect(firstText, JSON.stringify(log)).toBeGreaterThanOrEqual(0);
      expect(firstText).toBeLessThan(log.findIndex((r) => r.status === 'completed'));
    }

    // Which replica dispatches a task is up to their runners (each claims due tasks from the shared
    // table), so it is printed, not asserted.
    const dispatched = stack.servers.map((s) => (s.output().match(/task dispatched to n8n/g) ?? []).length);
    console.info(`[n8n queue mode] tasks dispatched per server replica: ${dispatched.join(', ')}`);

    // The executions ran on the workers, not in the main process.
    const started = stack.workers.map((w) => (w.output().match(/Worker started execution/g) ?? []).length);
    console.info(`[n8n queue mode] executions per worker: ${started.join(', ')}`);
    expect(started.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(sent.length);
  });
});
