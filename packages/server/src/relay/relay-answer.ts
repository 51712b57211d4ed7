import { randomUUID } from 'node:crypto';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { LlmError } from '../llm/llm-error.js';
import type { RelayOutcome } from './relay-reply.js';

/**
 * An error as OpenAI-compatible clients read it (`error.message`, `error.type`) and as the rest of
 * the API writes it (`error.code`, `error.message`).
 */
export interface RelayErrorBody {
  error: { code: string; message: string; type: string };
}

export interface RelayAnswer {
  status: ContentfulStatusCode;
  body: RelayErrorBody | ChatCompletion;
}

/** The non-streamed `chat.completion` the workflow's HTTP node gets. */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: [{ index: 0; message: { role: 'assistant'; content: string }; finish_reason: string }];
}

export const relayError = (status: ContentfulStatusCode, code: string, message: string, type: string): RelayAnswer => ({
  status,
  body: { error: { code, message, type } },
});

/**
 * What an LLM failure answers: the upstream's 429 and 5xx pass through (a workflow retries them
 * and reports `llm_unavailable`), a network error or a broken or unreadable stream is a 502, the
 * upstream's other 4xx pass through (the request itself is refused: `llm_rejected`).
 */
function llmFailure(error: LlmError): RelayAnswer {
  const status = error.status;
  switch (error.code) {
    case 'llm_rate_limited':
      return relayError(429, error.code, error.message, 'rate_limit_error');
    case 'llm_unavailable':
      return relayError(
        status && status >= 500 && status <= 599 ? (status as ContentfulStatusCode) : 502,
        error.code,
        error.message,
        'upstream_error',
      );
    case 'llm_rejected':
      return relayError(
        status && status >= 400 && status <= 499 ? (status as ContentfulStatusCode) : 400,
        error.code,
        error.message,
        'invalid_request_error',
      );
    case 'timeout':
      return relayError(504, error.code, error.message, 'upstream_error');
    default:
      return relayError(502, error.code, error.message, 'upstream_error');
  }
}

/**
 * The answer to a relayed call. A Stop answers 409 `cancelled` and a passed deadline 504
 * `timeout`: errors, so the workflow's error path runs, and both already settled the task (the
 * workflow's `task_fail` then changes nothing).
 */
export function relayAnswer(outcome: Exclude<RelayOutcome, { type: 'abandoned' }>, fallbackModel: string, now = Date.now()): RelayAnswer {
  switch (outcome.type) {
    case 'completed':
      return {
        status: 200,
        body: {
          id: `chatcmpl-${randomUUID()}`,
          object: 'chat.completion',
          created: Math.floor(now / 1000),
          model: outcome.model ?? fallbackModel,
          choices: [{ index: 0, message: { role: 'assistant', content: outcome.text }, finish_reason: outcome.finishReason }],
        },
      };
    case 'cancelled':
      return relayError(409, 'cancelled', 'the visitor stopped this reply; the task is cancelled and keeps its text', 'cancelled');
    case 'timeout':
      return relayError(504, 'timeout', 'the task deadline passed while the LLM was writing; the attempt is failed and retried', 'timeout');
    case 'stale':
      return relayError(
        409,
        'stale_attempt',
        'the task attempt ended while the LLM was writing (it was swept or taken over)',
        'stale_attempt',
      );
    case 'write_failed':
      return relayError(503, 'database_unavailable', 'the reply could not be written to the task', 'server_error');
    case 'llm_failed':
      return llmFailure(outcome.error);
    default: {
      const never: never = outcome;
      throw new Error(`unknown relay outcome ${JSON.stringify(never)}`);
    }
  }
}
