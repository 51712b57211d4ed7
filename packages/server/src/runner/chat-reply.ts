import type { ChatMessageRow } from '../db/tables.js';
import type { LlmMessage, StreamOptions } from '../llm/llm-client.js';
import {
  type AttachmentPromptOptions,
  asLlmMessages,
  attachmentRejection,
  readHistoryUploads,
  withAttachmentParts,
} from '../uploads/attachment-prompt.js';
import type { TaskContext } from './task-context.js';
import { storableText } from './storable-text.js';
import { renderSystemPrompt, taskMetadata } from './system-prompt.js';

/** Anything that turns a conversation into a streamed reply: the LLM client or the demo model. */
export interface ReplyModel {
  /** Resolves with the whole reply; `onText` gets each piece as it is written. */
  stream(messages: LlmMessage[], options?: StreamOptions): Promise<string>;
}

export const STATUS_READING = 'Reading the conversation…';
export const STATUS_THINKING = 'AI is thinking…';

/**
 * The `chat.reply` task: read the history (`task_conversation_history`) and its files, start
 * ("AI is thinking…"; with files to read, "Reading the conversation…" until they are read), stream the model's reply into the task
 * (`task_output`, coalesced by the output reporter), complete with `{ content }` (the database
 * writes the assistant message in the same transaction and clears the partial text).
 *
 * Failures are thrown for the runner to record: a Stop (the attempt's signal, or a write refused
 * because a cancel was requested) is acknowledged with the text so far; a reply over 16,000
 * characters fails with `reply_too_long` (not retryable); a stream that breaks after some text
 * fails the attempt retryably, and the next attempt streams the reply afresh.
 *
 * @example
 * const handler = createChatReplyHandler({ model, systemPrompt });
 */
export function createChatReplyHandler({
  model,
  systemPrompt,
  historyLimit = 50,
  promptMaxChars = null,
  attachments = null,
}: {
  model: ReplyModel;
  systemPrompt: string;
  historyLimit?: number;
  /** The history's budget in characters (`PROMPT_MAX_CHARS`); null: the database's default. */
  promptMaxChars?: number | null;
  /** How files on the messages reach the model; null: the messages' text only. */
  attachments?: AttachmentPromptOptions | null;
}) {
  return async function chatReply(ctx: TaskContext): Promise<void> {
    // A chat task names its conversation in its own column (the database binds it there); the
    // input is never read for it.
    if (!ctx.task.conversation_id)
      throw Object.assign(new Error('chat.reply task without a conversation'), { code: 'invalid_task', retryable: false });

    // The history is read before the attempt starts (a claimed attempt is live, and the read sees
    // nothing once it is not): from the task alone, its own conversation, up to the message it
    // answers (messages sent while it waited are answered by their own tasks), the newest that
    // fit the prompt budget, and the files on those messages. The first status the visitor sees
    // is then what the reply is doing: reading files when there are files to read, else thinking.
    const { history, uploads } = await ctx.read(async (tx) => {
      const { rows } = await tx.query<ChatMessageRow>(
        'select * from public.task_conversation_history($1::uuid, $2::int, $3::int, $4::int)',
        [ctx.id, ctx.attempt, historyLimit, promptMaxChars],
      );
      return { history: rows, uploads: attachments ? await readHistoryUploads(tx, rows) : [] };
    });
    // The template may name keys of the message's metadata (docs/server.md, Metadata).
    const system: LlmMessage = { role: 'system', content: renderSystemPrompt(systemPrompt, taskMetadata(ctx.task.input)) };
    let messages: LlmMessage[];
    if (attachments && uploads.length > 0) {
      await ctx.start(STATUS_READING);
      messages = [system, ...(await ctx.asWorker((tx) => withAttachmentParts(tx, history, uploads, attachments)))];
      await ctx.progress(STATUS_THINKING);
    } else {
      await ctx.start(STATUS_THINKING);
      messages = [system, ...asLlmMessages(history)];
    }
    const output = ctx.openOutput();
    let content: string;
    try {
      content = await model.stream(messages, {
        // Deadline, Stop and shutdown abort the upstream request at once, and so does the reporter
        // (a refused write, a reply grown too long).
        signal: AbortSignal.any([ctx.signal, output.signal]),
        onText: output.push,
      });
    } catch (error) {
      throw output.error ?? attachmentRejection(error, messages) ?? error;
    } finally {
      // The text not yet written is dropped: complete() or cancel() carries all of it.
      await output.close();
    }
    // A model that answered in one piece never saw the abort: check the reporter's verdict here.
    if (output.error) throw output.error;
    ctx.signal.throwIfAborted();
    await ctx.checkCancel();
    ctx.signal.throwIfAborted();
    await ctx.complete({ content: storableText(content) });
  };
}
