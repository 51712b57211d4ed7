import type { MessageView } from '../types.js';

/**
 * The conversation with a place for the reply being made before its first words: an empty
 * streaming assistant item right after the message that asked for it (else at the end), which
 * is where the SDK puts the reply once it has text. Replies are keyed by their task, so the first
 * words fill this same bubble instead of a new one.
 *
 * @example
 * withPendingReply([{ id: 'm1', role: 'user', content: 'Hi', taskId: 't1' }], 't1') // + { id: 'reply:t1', status: 'streaming', … }
 */
export function withPendingReply(messages: readonly MessageView[], taskId = ''): readonly MessageView[] {
  if (messages.some((m) => m.role === 'assistant' && m.taskId === taskId)) return messages;
  const at = messages.findIndex((m) => m.role === 'user' && m.taskId === taskId) + 1 || messages.length;
  const pending: MessageView = { id: `reply:${taskId}`, role: 'assistant', content: '', status: 'streaming', taskId };
  return [...messages.slice(0, at), pending, ...messages.slice(at)];
}
