import { describe, expect, it } from 'vitest';
import { createDemoModel } from './demo-model.js';
import type { LlmError } from './llm-error.js';

const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'What can you do?' },
];

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as LlmError,
  );

describe('createDemoModel', () => {
  it('streams its labelled demo reply word by word', async () => {
    const seen: Array<[string, string]> = [];
    const text = await createDemoModel({ delayMs: 0, wordDelayMs: 0 }).stream(messages, {
      onText: (delta, soFar) => seen.push([delta, soFar]),
    });
    expect(text).toMatch(/^\*\*Demo mode\*\* — no LLM is configured/);
    expect(text).toContain('You said: What can you do?');
    expect(seen.length).toBeGreaterThan(10);
    expect(seen[0]).toEqual(['**Demo ', '**Demo ']);
    // Each piece is one word, and the pieces add up to the text so far, ending with the whole reply.
    let soFar = '';
    for (const [delta, text] of seen) {
      expect(delta.trim()).toMatch(/^\S+$/);
      soFar += delta;
      expect(text).toBe(soFar);
    }
    expect(soFar).toBe(text);
  });

  it('answers complete() with the same reply at once', async () => {
    const model = createDemoModel({ delayMs: 0, wordDelayMs: 0 });
    await expect(model.complete(messages)).resolves.toBe(await model.stream(messages));
  });

  it('stops mid-reply on Stop with cancelled', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const pending = createDemoModel({ delayMs: 0, wordDelayMs: 0 }).stream(messages, {
      signal: controller.signal,
      onText: (delta) => {
        seen.push(delta);
        if (seen.length === 3) controller.abort();
      },
    });
    expect(await failure(pending)).toMatchObject({ code: 'cancelled', retryable: false });
    expect(seen).toHaveLength(3);
  });

  it('reports a deadline before the first word as a retryable timeout', async () => {
    const controller = new AbortController();
    const pending = createDemoModel({ delayMs: 60_000 }).stream(messages, { signal: controller.signal, onText: () => {} });
    controller.abort(new DOMException('the deadline passed', 'TimeoutError'));
    expect(await failure(pending)).toMatchObject({ code: 'timeout', retryable: true });
  });
});
