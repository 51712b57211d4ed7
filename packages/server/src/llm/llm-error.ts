/** Why an LLM call failed, as the task's error code. */
export type LlmErrorCode = 'llm_unavailable' | 'llm_rate_limited' | 'llm_rejected' | 'llm_bad_response' | 'timeout' | 'cancelled';

/**
 * A failed LLM call. `retryable` says whether another task attempt may succeed.
 *
 * @example
 * if (LlmError.isInstance(e)) await fail(e.code, e.message, e.retryable);
 */
const MARKER: unique symbol = Symbol.for('app.server.LlmError') as never;

export class LlmError extends Error {
  readonly [MARKER] = true;

  constructor(
    readonly code: LlmErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LlmError';
  }

  static isInstance(value: unknown): value is LlmError {
    return typeof value === 'object' && value !== null && MARKER in value;
  }
}
