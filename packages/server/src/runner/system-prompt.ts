import type { ChatMetadata, JsonValue } from '@app/async-tasks/contract';

/** The longest text one placeholder puts into the prompt. */
const VALUE_MAX_CHARS = 500;

/**
 * The system prompt of one reply: `LLM_SYSTEM_PROMPT` with each `{{metadata.<key>}}` replaced by
 * that key of the message's metadata (a string as it is, anything else as JSON, at most 500
 * characters; a missing key or no metadata: nothing). `<key>` may be a dotted path into nested
 * objects (`{{metadata.cart.total}}`). Only the keys the template names reach the model; the
 * visitor wrote them (the host page sets them, but a visitor can send anything), so a template
 * says what they are ("The visitor is looking at: {{metadata.page}}") and never treats them as
 * instructions or as who the visitor is.
 *
 * @example
 * renderSystemPrompt('Help with {{metadata.product}}.', { product: 'Kettle' }); // 'Help with Kettle.'
 */
export function renderSystemPrompt(template: string, metadata: ChatMetadata | null): string {
  return template.replace(/\{\{\s*metadata\.([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g, (_, path: string) => {
    let value: JsonValue | undefined = metadata ?? undefined;
    for (const key of path.split('.')) {
      value = value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key) ? value[key] : undefined;
    }
    if (value === undefined || value === null) return '';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > VALUE_MAX_CHARS ? `${text.slice(0, VALUE_MAX_CHARS)}…` : text;
  });
}

/** The metadata a chat.reply task was handed in its input (null when none, or not an object). */
export function taskMetadata(input: unknown): ChatMetadata | null {
  const metadata = (input as { metadata?: unknown } | null)?.metadata;
  return metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? (metadata as ChatMetadata) : null;
}
