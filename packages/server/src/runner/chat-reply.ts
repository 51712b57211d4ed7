import type { ChatMessageRow } from '../db/tables.js';
import type { LlmMessage } from '../llm/llm-client.js';
import type { TaskContext } from './task-context.js';

/** Anything that turns a conversation into a reply: the LLM client or the demo model. */
export interface ReplyModel {
  complete(messages: LlmMessage[], options?: { signal?: AbortSignal }): Promise<string>;
}

export const STATUS_READING = 'Reading the conversation…';
export const STATUS_THINKING = 'AI is thinking…';

/**
 * The `chat.reply` task, the same steps as the n8n workflow: start ("Reading the conversation…"),
 * read the history, progress ("AI is thinking…"), call the model, complete with `{ content }`
 * (the database writes the assistant message in the same transaction).
 *
 * @example
 * const handler = createChatReplyHandler({ model, systemPrompt });
 */
export function createChatReplyHandler({
  model,
  systemPrompt,
  historyLimit = 50,
}: {
  model: ReplyModel;
  systemPrompt: string;
  historyLimit?: number;
}) {
  return async function chatReply(ctx: TaskContext): Promise<void> {
    // send_chat_message writes { conversation_id, message_id }; a chat.reply made another way may
    // carry its conversation only in the input.
    const input = ctx.task.input as { conversation_id?: string; message_id?: string } | null;
    const conversationId = ctx.task.conversation_id ?? input?.conversation_id;
    if (!conversationId)
      throw Object.assign(new Error('chat.reply task without a conversation'), { code: 'invalid_task', retryable: false });

    await ctx.start(STATUS_READING);
    const { rows } = await ctx.asWorker((tx) =>
      tx.query<ChatMessageRow>('select * from public.conversation_history($1::uuid, $2::int)', [conversationId, historyLimit]),
    );
    // Answer the message this task was made for: later messages (sent while it waited) are cut.
    const own = input?.message_id ? rows.findIndex((m) => m.id === input.message_id) : -1;
    const history = own >= 0 ? rows.slice(0, own + 1) : rows;
    const messages: LlmMessage[] = [
      { role: 'system', content: systemPrompt },
      ...history.map((m) => ({ role: m.role, content: m.content })),
    ];
    await ctx.progress(STATUS_THINKING);
    const content = await model.complete(messages, { signal: ctx.signal });
    ctx.signal.throwIfAborted();
    await ctx.checkCancel();
    ctx.signal.throwIfAborted();
    await ctx.complete({ content });
  };
}
