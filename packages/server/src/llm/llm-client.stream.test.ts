import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeLlmServer, startFakeLlmServer } from '../../test/support/fake-llm-server.js';
import { createLlmClient } from './llm-client.js';
import type { LlmError } from './llm-error.js';

let llm: FakeLlmServer;
beforeEach(async () => {
  llm = await startFakeLlmServer();
});
afterEach(() => llm.close());

const client = (maxRetries = 3) =>
  createLlmClient({ baseUrl: llm.url, apiKey: 'k', model: 'm', maxRetries, baseDelayMs: 5, maxDelayMs: 20 });
const messages = [{ role: 'user' as const, content: 'hello' }];
const host = () => new URL(llm.url).host;

/** Streams with a recording `onText`: `seen` holds every [delta, textSoFar] in order. */
function streamed(options: { signal?: AbortSignal; maxRetries?: number } = {}) {
  const seen: Array<[string, string]> = [];
  const result = client(options.maxRetries).stream(messages, { signal: options.signal, onText: (delta, text) => seen.push([delta, text]) });
  return { seen, result };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as LlmError,
  );

describe('LlmClient.stream', () => {
  it('asks for a stream and hands over the text piece by piece, in order, before the reply is over', async () => {
    llm.enqueue({ content: 'One two three four', holdAfterChunks: 2 });
    const { seen, result } = streamed();
    // The fake holds the rest of the reply: what arrived so far came while the model was still writing.
    await expect.poll(() => seen.length).toBe(2);
    expect(seen).toEqual([
      ['One ', 'One '],
      ['two ', 'One two '],
    ]);
    llm.release();
    await expect(result).resolves.toBe('One two three four');
    // The role-only first chunk, the finish chunk and the usage chunk carry no text and are skipped.
    expect(seen.slice(2)).toEqual([
      ['three ', 'One two three '],
      ['four', 'One two three four'],
    ]);
    expect(llm.requests[0]!.body).toMatchObject({ model: 'm', stream: true, messages });
    expect(llm.requests[0]!.headers.authorization).toBe('Bearer k');
    expect(llm.requests[0]!).toMatchObject({ streamed: true, aborted: false });
  });

  it('keeps chunks that split words as they come', async () => {
    llm.enqueue({ content: 'abcdefgh', chunkSize: 3 });
    const { seen, result } = streamed();
    await expect(result).resolves.toBe('abcdefgh');
    expect(seen.map(([delta]) => delta)).toEqual(['abc', 'def', 'gh']);
  });

  it('retries a 429 with Retry-After and a 503 before the first text, then streams the reply', async () => {
    llm.enqueue({ status: 429, retryAfter: '0' }, { status: 503 }, { content: 'ok now' });
    const { seen, result } = streamed();
    await expect(result).resolves.toBe('ok now');
    expect(llm.requests).toHaveLength(3);
    expect(seen.at(-1)).toEqual(['now', 'ok now']);
  });

  it('does not wait for a Retry-After over its cap, and says where the 429 came from', async () => {
    llm.setFallback({ status: 429, retryAfter: '3600' });
    const error = await failure(streamed().result);
    expect(error).toMatchObject({ code: 'llm_rate_limited', retryable: true, status: 429, host: host() });
    expect(llm.requests).toHaveLength(1);
  });

  it('retries a stream that broke before any text', async () => {
    llm.enqueue({ content: 'lost', cutAfterChunks: 0 }, { content: 'second try' });
    const { seen, result } = streamed();
    await expect(result).resolves.toBe('second try');
    expect(llm.requests).toHaveLength(2);
    expect(seen.map(([, text]) => text)).toEqual(['second ', 'second try']);
  });

  it('fails a stream cut after the first text with a retryable llm_stream_interrupted, without retrying it', async () => {
    llm.enqueue({ content: 'a b c d', cutAfterChunks: 2 }, { content: 'must not be asked for' });
    const { seen, result } = streamed();
    const error = await failure(result);
    expect(error).toMatchObject({ code: 'llm_stream_interrupted', retryable: true, status: 200, host: host() });
    expect(seen.at(-1)).toEqual(['b ', 'a b ']);
    expect(llm.requests).toHaveLength(1);
    // The fake cut the connection itself: the client did not leave early.
    expect(llm.requests[0]!.aborted).toBe(false);
  });

  it('fails a stream that ends without finish_reason or [DONE] instead of returning the shorter text', async () => {
    llm.enqueue({ content: 'half a reply', endWithoutDone: true });
    const { seen, result } = streamed();
    expect(await failure(result)).toMatchObject({ code: 'llm_stream_interrupted', retryable: true });
    expect(seen.at(-1)![1]).toBe('half a reply');
    expect(llm.requests).toHaveLength(1);
  });

  it('fails a malformed chunk as a retryable llm_bad_response and closes the upstream connection', async () => {
    // Held after the bad chunk, so only the client can close the connection.
    llm.enqueue({ content: 'a b c', malformedAfterChunks: 1, holdAfterChunks: 1 });
    const { seen, result } = streamed();
    expect(await failure(result)).toMatchObject({ code: 'llm_bad_response', retryable: true, host: host() });
    expect(seen).toEqual([['a ', 'a ']]);
    expect(llm.requests).toHaveLength(1);
    await expect.poll(() => llm.requests[0]!.aborted).toBe(true);
  });

  it('on Stop mid-stream rejects with cancelled and closes the upstream connection', async () => {
    llm.enqueue({ content: 'a b c d', holdAfterChunks: 1 });
    const controller = new AbortController();
    const { seen, result } = streamed({ signal: controller.signal });
    await expect.poll(() => seen.length).toBe(1);
    controller.abort();
    expect(await failure(result)).toMatchObject({ code: 'cancelled', retryable: false, host: host() });
    await expect.poll(() => llm.requests[0]!.aborted).toBe(true);
    expect(llm.requests[0]!.chunksSent).toBe(1);
    expect(llm.requests).toHaveLength(1);
  });

  it('on the deadline mid-stream rejects with a retryable timeout and closes the upstream connection', async () => {
    llm.enqueue({ content: 'a b c d', holdAfterChunks: 2 });
    const controller = new AbortController();
    const { seen, result } = streamed({ signal: controller.signal });
    await expect.poll(() => seen.length).toBe(2);
    // The reason AbortSignal.timeout() gives, without waiting for a clock.
    controller.abort(new DOMException('the deadline passed', 'TimeoutError'));
    expect(await failure(result)).toMatchObject({ code: 'timeout', retryable: true });
    await expect.poll(() => llm.requests[0]!.aborted).toBe(true);
  });

  it('accepts an endpoint that ignores stream: true and answers plain JSON, as one piece', async () => {
    llm.enqueue({ content: 'the whole reply', ignoreStream: true });
    const { seen, result } = streamed();
    await expect(result).resolves.toBe('the whole reply');
    expect(seen).toEqual([['the whole reply', 'the whole reply']]);
    expect(llm.requests[0]!).toMatchObject({ streamed: false, body: { stream: true } });
  });

  it('fails a stream without any content as llm_bad_response, without retrying it', async () => {
    llm.enqueue({ content: '' });
    const { seen, result } = streamed();
    expect(await failure(result)).toMatchObject({ code: 'llm_bad_response', retryable: true });
    expect(seen).toEqual([]);
    expect(llm.requests).toHaveLength(1);
  });

  it('lets an error thrown by onText through unchanged and closes the upstream connection', async () => {
    llm.enqueue({ content: 'a b c d', holdAfterChunks: 2 });
    const thrown = new Error('the caller could not store the text');
    const result = client().stream(messages, {
      onText: () => {
        throw thrown;
      },
    });
    await expect(result).rejects.toBe(thrown);
    await expect.poll(() => llm.requests[0]!.aborted).toBe(true);
  });
});

describe('LlmClient.complete', () => {
  it('retries a stream cut after some text, since the caller has not seen it', async () => {
    llm.enqueue({ content: 'a b c d', cutAfterChunks: 2 }, { content: 'whole' });
    await expect(client().complete(messages)).resolves.toBe('whole');
    expect(llm.requests).toHaveLength(2);
  });

  it('gives up on streams that keep breaking with a retryable llm_stream_interrupted', async () => {
    llm.setFallback({ content: 'a b', cutAfterChunks: 1 });
    expect(await failure(client(1).complete(messages))).toMatchObject({ code: 'llm_stream_interrupted', retryable: true });
    expect(llm.requests).toHaveLength(2);
  });
});
