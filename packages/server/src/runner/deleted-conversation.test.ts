import { afterEach, describe, expect, it } from 'vitest';
import { runnerHarness, type RunnerHarness } from '../../test/support/runner-harness.js';
import { key } from '../../test/support/test-app.js';

const POLL = { timeout: 30_000, interval: 50 };

describe('the built-in runner when the visitor deletes the conversation of a reply it is writing', () => {
  let h: RunnerHarness | undefined;
  afterEach(async () => {
    await h?.dispose();
    h = undefined;
  });

  it('aborts the LLM call at once and writes nothing', async () => {
    h = await runnerHarness();
    // The model starts the reply and then holds: only an abort ends the request.
    h.llm.enqueue({ content: 'Once upon a time there was', chunks: 4, holdAfterChunks: 1 });
    const v = await h.visitor();
    const { body } = await h.send(v.token, { content: 'Tell me a story', idempotencyKey: key() });
    h.runner.start();
    await expect.poll(() => h!.llm.requests[0]?.chunksSent ?? 0, POLL).toBeGreaterThan(0);

    const res = await h.request(`/api/conversations/${body.conversationId}`, { method: 'DELETE', token: v.token });
    expect(res.status).toBe(200);
    await expect.poll(() => h!.llm.requests[0]?.aborted, POLL).toBe(true);
    const left = await h.db.asService((tx) =>
      tx.query<{ n: string }>('select count(*) as n from public.chat_messages where conversation_id = $1::uuid', [body.conversationId]),
    );
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
