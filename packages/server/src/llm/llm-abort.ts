import { LlmError } from './llm-error.js';

/**
 * The error for a call whose signal fired: a deadline (`AbortSignal.timeout`, or any reason named
 * `TimeoutError`) is a retryable `timeout`; anything else (Stop, shutdown) is `cancelled`.
 *
 * @example
 * if (signal.aborted) throw abortError(signal, 'openrouter.ai');
 */
export function abortError(signal: AbortSignal, host?: string): LlmError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new LlmError('timeout', 'the task deadline passed while waiting for the LLM', true, { host, cause: reason })
    : new LlmError('cancelled', 'the LLM call was cancelled', false, { host, cause: reason });
}

/**
 * Waits `ms`, or rejects with {@link abortError} as soon as `signal` fires.
 *
 * @example
 * await sleep(500, signal);
 */
export function sleep(ms: number, signal?: AbortSignal, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal, host));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!, host));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
