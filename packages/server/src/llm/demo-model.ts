import { sleep } from './llm-abort.js';
import { type CompleteOptions, type LlmMessage, type StreamOptions, textOf } from './llm-client.js';

export interface DemoModelOptions {
  /** Wait before the first word, so the status steps are visible in the widget. */
  delayMs: number;
  /** Wait between two words of a streamed reply, so the text visibly grows. */
  wordDelayMs?: number;
}

/**
 * The reply model used when no `LLM_API_KEY` is set: a clearly labelled demo answer, streamed word
 * by word after a short delay, with the LLM client's interface and abort behaviour (a deadline is
 * a retryable `timeout`, anything else `cancelled`).
 *
 * @example
 * const model = createDemoModel({ delayMs: 1500 });
 * await model.stream(messages, { signal, onText: (_, soFar) => show(soFar) });
 */
export function createDemoModel({ delayMs, wordDelayMs = 40 }: DemoModelOptions) {
  async function stream(messages: LlmMessage[], { signal, onText }: StreamOptions = {}): Promise<string> {
    const reply = demoReply(messages);
    await sleep(delayMs, signal);
    if (!onText) return reply;
    let text = '';
    for (const [i, word] of words(reply).entries()) {
      if (i > 0) await sleep(wordDelayMs, signal);
      text += word;
      onText(word, text);
    }
    return text;
  }

  function complete(messages: LlmMessage[], { signal }: CompleteOptions = {}): Promise<string> {
    return stream(messages, { signal });
  }

  return { stream, complete };
}

function demoReply(messages: LlmMessage[]): string {
  const lastMessage = [...messages].reverse().find((m) => m.role === 'user');
  const parts = typeof lastMessage?.content === 'string' ? [] : (lastMessage?.content ?? []);
  // The attachment notes the runner puts before each file (attachment-prompt.ts) are not what the visitor said.
  const said = parts.length > 0 ? (parts[0]?.type === 'text' ? parts[0].text : '') : textOf(lastMessage?.content ?? '');
  const quoted = said.length > 500 ? `${said.slice(0, 500)}…` : said;
  const files = parts.flatMap((p) => (p.type === 'text' && p.text.startsWith('[Attached ') ? [p.text.slice(1, p.text.indexOf(']'))] : []));
  const images = parts.filter((p) => p.type === 'image_url').length;
  return [
    '**Demo mode** — no LLM is configured, so this reply was made by the server itself.',
    'Set `LLM_API_KEY` (and optionally `LLM_BASE_URL`, `LLM_MODEL`) to get real answers.',
    '',
    `You said: ${quoted}`,
    ...(files.length > 0
      ? ['', `${files.join('; ')}${images > 0 ? ` — ${images === 1 ? 'one image' : `${images} images`} the model would see` : ''}.`]
      : []),
  ].join('\n');
}

/** Each word with the whitespace after it, so joining them gives the text back exactly. */
function words(text: string): string[] {
  return text.match(/\s*\S+\s*/gy) ?? [text];
}
