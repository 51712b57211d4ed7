import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeLlmServer, type FakeLlmServer } from '../../test/support/fake-llm-server.js';
import { createLlmClient, retryAfterMs } from './llm-client.js';
import { LlmError } from './llm-error.js';

let llm: FakeLlmServer;
beforeEach(async () => {
  llm = await startFakeLlmServer();
});
afterEach(() => llm.close());

const client = (maxRetries = 3) =>
  createLlmClient({ baseUrl: llm.url, apiKey: 'k', model: 'm', maxRetries, baseDelayMs: 5, maxDelayMs: 20 });
const messages = [{ role: 'user' as const, content: 'hello' }];

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as LlmError,
  );

describe('createLlmClient', () => {
  it('returns the first choice and sends the model and the key', async () => {
    llm.enqueue({ content: 'Hi there' });
    await expect(client().complete(messages)).resolves.toBe('Hi there');
    expect(llm.requests[0]!.body.model).toBe('m');
    expect(llm.requests[0]!.headers.authorization).toBe('Bearer k');
  });

  it('retries a 500 and a 429 and then succeeds', async () => {
    llm.enqueue({ status: 500 }, { status: 429, retryAfter: '0' }, { content: 'ok' });
    await expect(client().complete(messages)).resolves.toBe('ok');
    expect(llm.requests).toHaveLength(3);
  });

  it('gives up after maxRetries with a retryable llm_unavailable', async () => {
    llm.setFallback({ status: 503 });
    const error = await failure(client(2).complete(messages));
    expect(LlmError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'llm_unavailable', retryable: true, status: 503 });
    expect(llm.requests).toHaveLength(3);
  });

  it('fails at once on a 400 with a non-retryable llm_rejected', async () => {
    llm.setFallback({ status: 400 });
    const error = await failure(client().complete(messages));
    expect(error).toMatchObject({ code: 'llm_rejected', retryable: false });
    expect(llm.requests).toHaveLength(1);
  });

  it('does not wait for a Retry-After longer than its cap', async () => {
    llm.setFallback({ status: 429, retryAfter: '3600' });
    const error = await failure(client().complete(messages));
    expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: true });
    expect(llm.requests).toHaveLength(1);
  });

  it('aborts the HTTP call on cancellation', async () => {
    llm.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = failure(client().complete(messages, { signal: controller.signal }));
    await expect.poll(() => llm.requests.length).toBe(1);
    controller.abort();
    expect(await pending).toMatchObject({ code: 'cancelled', retryable: false });
    await expect.poll(() => llm.requests[0]!.aborted).toBe(true);
  });

  it('reports a deadline as a retryable timeout', async () => {
    llm.enqueue({ hang: true });
    const error = await failure(client().complete(messages, { signal: AbortSignal.timeout(50) }));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  it('treats an answer without content as a bad response', async () => {
    llm.enqueue({ body: { choices: [] } });
    await expect(failure(client().complete(messages))).resolves.toMatchObject({ code: 'llm_bad_response' });
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeNull();
  });
});
