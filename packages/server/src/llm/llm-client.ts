import { readCompletionStream } from './completion-stream.js';
import { abortError, sleep } from './llm-abort.js';
import { LlmError, type LlmErrorCode, type LlmErrorDetails } from './llm-error.js';
import { retryAfterMs } from './retry-after.js';

export { retryAfterMs } from './retry-after.js';

/** A part of a message that is more than text (OpenAI-compatible): text, or an image by URL (a data: URL here). */
export type LlmContentPart =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | LlmContentPart[];
}

/** The text of a message, its parts' text joined. */
export const textOf = (content: LlmMessage['content']): string =>
  typeof content === 'string' ? content : content.map((p) => (p.type === 'text' ? p.text : '')).join('\n');

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
  /** Told how each call went (for the metrics); it must not throw. */
  observer?: LlmObserver;
}

/** What a caller may count about the calls: each failed request, the first text, each call's end. */
export interface LlmObserver {
  /** A request failed (and may be retried inside the call); Stops and deadlines are not reported here. */
  requestFailed?(error: LlmError): void;
  /** The first piece of text of a call arrived, `ms` after the call began. */
  firstText?(ms: number): void;
  /** A call ended, `ms` after it began: `ok` with its text, else its error's code (`error`: not an LlmError). */
  callEnded?(ms: number, outcome: 'ok' | LlmErrorCode | 'error'): void;
}

export interface CompleteOptions {
  /** Aborts the call (deadline or cancellation); the reason decides the error code. */
  signal?: AbortSignal;
}

export interface StreamOptions extends CompleteOptions {
  /**
   * Called with each piece of text as the model writes it, and the text so far. Once it has been
   * called the call is no longer retried inside the client (the caller has shown that text): a
   * later failure rejects, retryable, and the caller starts over.
   */
  onText?: (delta: string, text: string) => void;
  /** What the endpoint said about its reply, once it is over: the model that wrote it, why it stopped. */
  onFinish?: (info: CompletionInfo) => void;
  /**
   * This call's request, where it differs from the client's: another model, more OpenAI request
   * fields (`temperature`, `max_tokens`…; `stream` is always true), another `Authorization` header
   * (null: none). The n8n relay forwards a workflow's request this way.
   */
  request?: { model?: string; authorization?: string | null; params?: Record<string, unknown> };
  /**
   * An answer without text resolves as it is ('' or blank) instead of failing `llm_bad_response`:
   * the n8n relay passes it on, and the workflow judges it as it judges any answer.
   */
  allowEmpty?: boolean;
}

/** The model and finish reason an endpoint named in its reply (null when it did not). */
export interface CompletionInfo {
  model: string | null;
  finishReason: string | null;
}

/** The outcome of one HTTP call that may be tried again; final failures are thrown. */
type Attempt = { text: string; info: CompletionInfo } | { retry: LlmError; waitMs: number | null };

/**
 * A client for any OpenAI-compatible `POST /chat/completions` (OpenRouter, OpenAI, Ollama…) that
 * asks for a streamed reply (`stream: true`) and also accepts a plain JSON answer.
 * Until the caller has seen text it retries 429, 5xx, network errors and broken streams with
 * capped exponential backoff, honouring `Retry-After`; it fails at once on other 4xx; `signal`
 * aborts the HTTP request, so the model stops generating.
 *
 * @example
 * const llm = createLlmClient({ baseUrl, apiKey, model });
 * const text = await llm.stream([{ role: 'user', content: 'Hi' }], { signal, onText: (_, soFar) => show(soFar) });
 * const whole = await llm.complete(messages, { signal });
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
  observer = {},
}: LlmClientOptions) {
  const endpoint = `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const host = new URL(endpoint).host;

  async function callOnce(
    messages: LlmMessage[],
    signal: AbortSignal | undefined,
    onDelta: (delta: string, text: string) => void,
    request: StreamOptions['request'] = {},
    allowEmpty = false,
  ): Promise<Attempt> {
    const authorization = request.authorization === undefined ? `Bearer ${apiKey}` : request.authorization;
    let res: Response;
    try {
      res = await fetchImpl(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream, application/json',
          ...(authorization === null ? {} : { authorization }),
        },
        body: JSON.stringify({ ...request.params, model: request.model ?? model, messages, stream: true }),
        signal,
      });
    } catch (cause) {
      if (signal?.aborted) throw abortError(signal, host);
      return { retry: new LlmError('llm_unavailable', 'could not reach the LLM endpoint', true, { host, cause }), waitMs: null };
    }
    const details: LlmErrorDetails = { host, status: res.status };
    if (!res.ok) {
      // What the provider said about it (a wrong model, a bad key, its quota) is the cause to log.
      const said = await upstreamErrorMessage(res, [apiKey, authorization?.replace(/^Bearer\s+/i, '') ?? '']);
      if (signal?.aborted) throw abortError(signal, host);
      if (said !== null) details.cause = new Error(said);
      const waitMs = retryAfterMs(res.headers.get('retry-after'));
      if (res.status === 429)
        return { retry: new LlmError('llm_rate_limited', 'the LLM endpoint is rate limiting us (429)', true, details), waitMs };
      if (res.status >= 500)
        return { retry: new LlmError('llm_unavailable', `the LLM endpoint failed (${res.status})`, true, details), waitMs };
      throw new LlmError('llm_rejected', `the LLM endpoint rejected the request (${res.status})`, false, details);
    }
    const streamed = /^text\/event-stream/i.test(res.headers.get('content-type') ?? '');
    const info: CompletionInfo = { model: null, finishReason: null };
    const text =
      streamed && res.body
        ? await readCompletionStream(res.body, { signal, details, onDelta, info })
        : await readJsonCompletion(res, signal, details, onDelta, info, allowEmpty);
    if (text.trim() === '' && !allowEmpty) throw new LlmError('llm_bad_response', 'the LLM answer had no message content', true, details);
    return { text, info };
  }

  async function stream(messages: LlmMessage[], options: StreamOptions = {}): Promise<string> {
    const began = performance.now();
    try {
      const text = await streamWithRetries(messages, options, began);
      observer.callEnded?.(performance.now() - began, 'ok');
      return text;
    } catch (error) {
      observer.callEnded?.(performance.now() - began, LlmError.isInstance(error) ? error.code : 'error');
      throw error;
    }
  }

  async function streamWithRetries(
    messages: LlmMessage[],
    { signal, onText, onFinish, request, allowEmpty }: StreamOptions,
    began: number,
  ): Promise<string> {
    let shown = false;
    let texted = false;
    const onDelta = (delta: string, text: string) => {
      if (!texted) {
        texted = true;
        observer.firstText?.(performance.now() - began);
      }
      if (!onText) return;
      shown = true;
      onText(delta, text);
    };
    const failed = (error: unknown) => {
      if (LlmError.isInstance(error) && error.code !== 'cancelled' && error.code !== 'timeout') observer.requestFailed?.(error);
    };
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortError(signal, host);
      let outcome: Attempt;
      try {
        outcome = await callOnce(messages, signal, onDelta, request, allowEmpty);
      } catch (error) {
        // A stream that broke before the caller saw any text is retried like a network error.
        if (shown || !LlmError.isInstance(error) || error.code !== 'llm_stream_interrupted') {
          failed(error);
          throw error;
        }
        outcome = { retry: error, waitMs: null };
      }
      if ('retry' in outcome) failed(outcome.retry);
      if ('text' in outcome) {
        onFinish?.(outcome.info);
        return outcome.text;
      }
      if (attempt >= maxRetries) throw outcome.retry;
      const wait = Math.max(Math.min(maxDelayMs, baseDelayMs * 2 ** attempt), outcome.waitMs ?? 0);
      if (wait > maxRetryAfterMs) throw outcome.retry;
      await sleep(wait, signal, host);
    }
  }

  /** The whole reply at once; nothing is shown meanwhile, so every broken stream may be retried. */
  function complete(messages: LlmMessage[], { signal }: CompleteOptions = {}): Promise<string> {
    return stream(messages, { signal });
  }

  return { stream, complete };
}

/** The most of an error answer read for its message: providers put it in a small JSON body. */
const ERROR_BODY_BYTES = 4096;

/**
 * The provider's message in an error answer (`{"error":{"message"}}` as OpenAI, OpenRouter and
 * Ollama send it, or the start of a text body), at most 300 characters, with anything that looks
 * like a key masked; null when the body is empty or cannot be read.
 */
async function upstreamErrorMessage(res: Response, secrets: string[]): Promise<string | null> {
  let text = '';
  try {
    const reader = res.body?.getReader();
    if (!reader) return null;
    const decoder = new TextDecoder();
    let bytes = 0;
    while (bytes < ERROR_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      text += decoder.decode(value, { stream: true });
    }
    await reader.cancel().catch(() => {});
  } catch {
    return null;
  }
  let message = text.trim();
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const inner = typeof body.error === 'object' ? body.error?.message : (body.error ?? body.message);
    if (typeof inner === 'string') message = inner;
  } catch {
    // Not JSON (a proxy's HTML page, plain text): its start is the message.
  }
  if (message === '') return null;
  message = message.replace(/\b(sk-[A-Za-z0-9_-]{3})[A-Za-z0-9_-]{8,}/g, '$1***');
  for (const secret of secrets) if (secret.length >= 8) message = message.replaceAll(secret, '***');
  return message.slice(0, 300);
}

/** An endpoint that ignores `stream: true` answers one `chat.completion`: the whole text is one delta. */
async function readJsonCompletion(
  res: Response,
  signal: AbortSignal | undefined,
  details: LlmErrorDetails,
  onDelta: (delta: string, text: string) => void,
  info: CompletionInfo,
  allowEmpty: boolean,
): Promise<string> {
  let body: { model?: unknown; choices?: Array<{ message?: { content?: unknown }; finish_reason?: unknown }> };
  try {
    body = (await res.json()) as typeof body;
  } catch (cause) {
    if (signal?.aborted) throw abortError(signal, details.host);
    throw new LlmError('llm_bad_response', 'the LLM answered with invalid JSON', true, { ...details, cause });
  }
  const content = body?.choices?.[0]?.message?.content;
  const text = typeof content === 'string' ? content : '';
  if (text.trim() === '' && !allowEmpty) {
    throw new LlmError('llm_bad_response', 'the LLM answer had no message content', true, details);
  }
  if (typeof body?.model === 'string') info.model = body.model;
  const finish = body.choices?.[0]?.finish_reason;
  if (typeof finish === 'string') info.finishReason = finish;
  if (text !== '') onDelta(text, text);
  return text;
}

export type LlmClient = ReturnType<typeof createLlmClient>;
