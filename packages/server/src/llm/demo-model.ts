import type { LlmMessage } from './llm-client.js';
import { LlmError } from './llm-error.js';

/**
 * The reply model used when no `LLM_API_KEY` is set: a clearly labelled demo answer after a
 * short delay, so the status steps are visible in the widget.
 *
 * @example
 * const model = createDemoModel({ delayMs: 1500 });
 */
export function createDemoModel({ delayMs }: { delayMs: number }) {
  async function complete(messages: LlmMessage[], { signal }: { signal?: AbortSignal } = {}): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, delayMs);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
          reject(timedOut ? new LlmError('timeout', 'the task deadline passed', true) : new LlmError('cancelled', 'cancelled', false));
        },
        { once: true },
      );
    });
    const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const quoted = last.length > 500 ? `${last.slice(0, 500)}…` : last;
    return [
      '**Demo mode** — no LLM is configured, so this reply was made by the server itself.',
      'Set `LLM_API_KEY` (and optionally `LLM_BASE_URL`, `LLM_MODEL`) to get real answers.',
      '',
      `You said: ${quoted}`,
    ].join('\n');
  }
  return { complete };
}
