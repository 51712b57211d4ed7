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
