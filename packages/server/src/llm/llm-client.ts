import { LlmError } from './llm-error.js';

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface LlmClientOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  /** Retries after a 429, a 5xx or a network error (so `maxRetries + 1` calls at most). */
  maxRetries?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the call fails (retryable). */
  maxRetryAfterMs?: number;
  fetch?: typeof fetch;
}

export interface CompleteOptions {
  /** Aborts the call (deadline or cancellation); the reason decides the error code. */
  signal?: AbortSignal;
}

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function abortError(signal: AbortSignal): LlmError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new LlmError('timeout', 'the task deadline passed while waiting for the LLM', true, undefined, { cause: reason })
    : new LlmError('cancelled', 'the LLM call was cancelled', false, undefined, { cause: reason });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A client for any OpenAI-compatible `POST /chat/completions` (OpenRouter, OpenAI, Ollama…).
 * Retries 429 and 5xx with capped exponential backoff, honouring `Retry-After`; fails at once on
 * other 4xx; aborts the HTTP call when `signal` fires.
 *
 * @example
 * const llm = createLlmClient({ baseUrl, apiKey, model });
 * const text = await llm.complete([{ role: 'user', content: 'Hi' }], { signal });
 */
export function createLlmClient({
  baseUrl,
  apiKey,
  model,
  maxRetries = 3,
  baseDelayMs = 500,
  maxDelayMs = 8000,
  maxRetryAfterMs = 30_000,
  fetch: fetchImpl = globalThis.fetch,
}: LlmClientOptions) {
  const endpoint = `${baseUrl.replace(/\/+$/, '')}/chat/completions`;

  async function callOnce(
    messages: LlmMessage[],
    signal?: AbortSignal,
  ): Promise<{ text?: string; error?: LlmError; waitMs?: number | null }> {
    let res: Response;
    try {
      res = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ model, messages }),
        signal,
      });
    } catch (cause) {
      if (signal?.aborted) throw abortError(signal);
      return { error: new LlmError('llm_unavailable', 'could not reach the LLM endpoint', true, undefined, { cause }) };
    }
    if (res.ok) {
      let body: { choices?: Array<{ message?: { content?: unknown } }> };
      try {
        body = (await res.json()) as typeof body;
      } catch (cause) {
        if (signal?.aborted) throw abortError(signal);
        throw new LlmError('llm_bad_response', 'the LLM answered with invalid JSON', true, res.status, { cause });
      }
      const text = body.choices?.[0]?.message?.content;
      if (typeof text !== 'string' || text.trim() === '') {
        throw new LlmError('llm_bad_response', 'the LLM answer had no message content', true, res.status);
      }
      return { text };
    }
    await res.body?.cancel().catch(() => {});
    const waitMs = retryAfterMs(res.headers.get('retry-after'));
    if (res.status === 429)
      return { error: new LlmError('llm_rate_limited', 'the LLM endpoint is rate limiting us (429)', true, 429), waitMs };
    if (res.status >= 500)
      return { error: new LlmError('llm_unavailable', `the LLM endpoint failed (${res.status})`, true, res.status), waitMs };
    throw new LlmError('llm_rejected', `the LLM endpoint rejected the request (${res.status})`, false, res.status);
  }

  async function complete(messages: LlmMessage[], { signal }: CompleteOptions = {}): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortError(signal);
      const { text, error, waitMs } = await callOnce(messages, signal);
      if (text !== undefined) return text;
      if (attempt >= maxRetries) throw error!;
      const wait = Math.max(Math.min(maxDelayMs, baseDelayMs * 2 ** attempt), waitMs ?? 0);
      if (wait > maxRetryAfterMs) throw error!;
      await sleep(wait, signal);
    }
  }

  return { complete };
}

export type LlmClient = ReturnType<typeof createLlmClient>;
