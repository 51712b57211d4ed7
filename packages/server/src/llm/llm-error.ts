/** Why an LLM call failed, as the task's error code. */
export type LlmErrorCode =
  | 'llm_unavailable'
  | 'llm_rate_limited'
  | 'llm_rejected'
  | 'llm_bad_response'
  | 'llm_stream_interrupted'
  | 'timeout'
  | 'cancelled';

/** Where a failure happened, for the logs: the endpoint's host and the HTTP status (never the key). */
export interface LlmErrorDetails {
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** `host[:port]` of the LLM endpoint (no path, no credentials). */
  host?: string;
  cause?: unknown;
}

const MARKER: unique symbol = Symbol.for('app.server.LlmError') as never;

/**
 * A failed LLM call. `retryable` says whether another task attempt may succeed; `host` and
 * `status` say where it failed, so a log line of the error is enough to diagnose it.
 *
 * @example
 * if (LlmError.isInstance(e)) log.warn({ code: e.code, host: e.host, status: e.status }, e.message);
 */
export class LlmError extends Error {
  readonly [MARKER] = true;
  readonly status?: number;
  readonly host?: string;

  constructor(
    readonly code: LlmErrorCode,
    message: string,
    readonly retryable: boolean,
    { status, host, cause }: LlmErrorDetails = {},
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'LlmError';
    this.status = status;
    this.host = host;
  }

  static isInstance(value: unknown): value is LlmError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}

/** The root of a cause chain as log fields: the first error code met (`ECONNREFUSED`) and the innermost message. */
export function describeCause(cause: unknown): { code: string | null; message: string } | null {
  let code: string | null = null;
  let message: string | null = null;
  let current = cause;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (code === null && typeof e.code === 'string') code = e.code;
    if (typeof e.message === 'string' && e.message !== '') message = e.message;
    else if (typeof current === 'string') message = current;
    if (current instanceof AggregateError && current.errors.length > 0) {
      message = current.errors.map((inner) => describeCause(inner)?.message ?? String(inner)).join('; ');
      break;
    }
    current = e.cause;
  }
  return message === null && code === null ? null : { code, message: message ?? code ?? '' };
}

/**
 * A failed LLM call as log fields: our code, the HTTP status (null: no answer), the endpoint's
 * host, whether another attempt may succeed, and the underlying cause (a network error and its
 * code, the provider's own error message). Never the key, the URL's path or message content.
 *
 * @example
 * log.warn(llmErrorFields(error), 'LLM call failed');
 */
export function llmErrorFields(error: LlmError) {
  return {
    code: error.code,
    status: error.status ?? null,
    host: error.host ?? null,
    retryable: error.retryable,
    reason: error.message,
    cause: describeCause(error.cause),
  };
}
