import { createParser } from 'eventsource-parser';
import { abortError } from './llm-abort.js';
import { LlmError, type LlmErrorDetails } from './llm-error.js';

/** The fields of a `chat.completion.chunk` this client reads; everything else is ignored. */
interface CompletionChunk {
  model?: unknown;
  choices?: Array<{ delta?: { content?: unknown } | null; finish_reason?: unknown }>;
  error?: { message?: unknown };
}

export interface ReadCompletionStreamOptions {
  signal?: AbortSignal;
  /** Where the stream comes from, carried by every error. */
  details: Pick<LlmErrorDetails, 'host' | 'status'>;
  /** Each non-empty piece of text, with the text so far. */
  onDelta(delta: string, text: string): void;
  /** Filled in as the chunks name them: the model that writes the reply, and why it stopped. */
  info?: { model: string | null; finishReason: string | null };
}

/** One SSE event larger than this is not a chat chunk: the stream is refused rather than buffered. */
const MAX_EVENT_CHARS = 1_000_000;

/**
 * Reads a streamed chat completion (`data: {chat.completion.chunk}` events, then `data: [DONE]`)
 * and returns the whole text. The reply counts as finished only at `[DONE]` or a chunk with a
 * `finish_reason`: a connection that drops, a stream that ends before either, or an error chunk is
 * `llm_stream_interrupted`; a chunk that is not JSON is `llm_bad_response`. Both are retryable and
 * neither is ever returned as a shorter text. Chunks without `delta.content` (the role-only first
 * chunk, a usage chunk) are skipped. Stops reading (closing the connection) when it returns or throws.
 *
 * @example
 * const text = await readCompletionStream(res.body, { signal, details: { host, status: 200 }, onDelta });
 */
export async function readCompletionStream(
  body: ReadableStream<Uint8Array>,
  { signal, details, onDelta, info }: ReadCompletionStreamOptions,
): Promise<string> {
  const events: string[] = [];
  let overflow = false;
  const parser = createParser({
    onEvent: (event) => events.push(event.data),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') overflow = true;
    },
    maxBufferSize: MAX_EVENT_CHARS,
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let text = '';
  let finished = false;

  /** Handles the events parsed so far; true at `[DONE]`. */
  const consume = (): boolean => {
    if (overflow) throw new LlmError('llm_bad_response', 'the LLM sent a stream event too large to be a chunk', true, details);
    for (const data of events.splice(0)) {
      if (data.trim() === '[DONE]') return true;
      const chunk = parseChunk(data, details);
      const choice = chunk.choices?.[0];
      if (chunk.error !== undefined || choice?.finish_reason === 'error') {
        const upstream = typeof chunk.error?.message === 'string' ? chunk.error.message.slice(0, 300) : 'no message';
        throw new LlmError('llm_stream_interrupted', 'the LLM reported an error in the middle of its reply', true, {
          ...details,
          cause: new Error(upstream),
        });
      }
      if (info && typeof chunk.model === 'string') info.model ??= chunk.model;
      const delta = choice?.delta?.content;
      if (typeof delta === 'string' && delta !== '') {
        text += delta;
        onDelta(delta, text);
      }
      if (typeof choice?.finish_reason === 'string') {
        finished = true;
        if (info) info.finishReason = choice.finish_reason;
      }
    }
    return false;
  };

  try {
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (cause) {
        if (signal?.aborted) throw abortError(signal, details.host);
        throw new LlmError('llm_stream_interrupted', 'the connection to the LLM broke in the middle of its reply', true, {
          ...details,
          cause,
        });
      }
      if (read.done) break;
      parser.feed(decoder.decode(read.value, { stream: true }));
      if (consume()) return text;
    }
    // The last event may lack its blank line; a stream may legitimately end right after a finish_reason.
    parser.feed(decoder.decode());
    parser.reset({ consume: true });
    if (consume() || finished) return text;
    throw new LlmError('llm_stream_interrupted', 'the LLM stream ended before the reply was finished', true, details);
  } finally {
    // Early exits (an error, [DONE] before the server closed) must not leave the upstream request open.
    reader.cancel().catch(() => {});
  }
}

function parseChunk(data: string, details: ReadCompletionStreamOptions['details']): CompletionChunk {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (cause) {
    throw new LlmError('llm_bad_response', 'the LLM sent a malformed stream chunk', true, { ...details, cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LlmError('llm_bad_response', 'the LLM sent a stream chunk that is not an object', true, details);
  }
  return value as CompletionChunk;
}
