import type { Queryable } from '../db/types.js';
import type { LlmContentPart, LlmMessage } from '../llm/llm-client.js';
import { TaskFailure } from '../runner/task-failure.js';
import { describeType, isRasterImage } from './content-type.js';
import type { UploadRow } from '../db/upload-table.js';
import { readMessageUploads } from './upload-queries.js';
import type { UploadStorage } from './upload-storage.js';

// What the model sees of the files on the messages of its history. Images go as OpenAI-compatible
// `image_url` parts with a data: URL (the model never needs to reach this server), the newest
// first up to `maxImages`; the text of text files goes as text, the newest first within
// `textBudgetChars` (part of the prompt budget); every file is named in a note before it, so the
// model can refer to it. A model that cannot read images is never sent one: when the message it
// answers carries an image, the reply fails with a message the visitor can act on.

export class AttachmentUnsupported extends TaskFailure {
  constructor(message: string) {
    super('attachment_unsupported', message, false);
    this.name = 'AttachmentUnsupported';
  }
}

/** A model that refused a request carrying an image (a 4xx) most likely cannot read images: say so. */
export function attachmentRejection(error: unknown, messages: LlmMessage[]): AttachmentUnsupported | null {
  const e = error as { code?: string; status?: number };
  const hadImage = messages.some((m) => typeof m.content !== 'string' && m.content.some((p) => p.type === 'image_url'));
  if (!hadImage || e?.code !== 'llm_rejected') return null;
  return new AttachmentUnsupported(
    `The assistant's model refused the attached image${e.status ? ` (it answered ${e.status})` : ''}. It may not read images; please describe it in words.`,
  );
}

export interface AttachmentPromptOptions {
  storage: UploadStorage;
  modelTakesImages: boolean;
  /** Characters of file text over the whole prompt. */
  textBudgetChars: number;
  maxImages?: number;
}

interface HistoryMessage {
  id: string;
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The history as the model reads it when no files come with it. */
export const asLlmMessages = (history: HistoryMessage[]): LlmMessage[] => history.map((m) => ({ role: m.role, content: m.content }));

/** The files on the user messages of the history, with their text (what the prompt may carry). */
export function readHistoryUploads(tx: Queryable, history: HistoryMessage[]): Promise<UploadRow[]> {
  return readMessageUploads(
    tx,
    history.filter((m) => m.role === 'user').map((m) => m.id),
    true,
  );
}

/** The history as LLM messages, the user messages with `uploads` (readHistoryUploads) as content parts. */
export async function withAttachmentParts(
  tx: Queryable,
  history: HistoryMessage[],
  uploads: UploadRow[],
  options: AttachmentPromptOptions,
): Promise<LlmMessage[]> {
  const { storage, modelTakesImages, maxImages = 4 } = options;
  if (uploads.length === 0) return asLlmMessages(history);
  const answered = [...history].reverse().find((m) => m.role === 'user');
  if (!modelTakesImages && uploads.some((u) => u.message_id === answered?.id && isRasterImage(u.media_type))) {
    throw new AttachmentUnsupported(
      'The assistant cannot look at images with the model it uses. Please describe the image in words and send it again.',
    );
  }

  let imagesLeft = maxImages;
  let textLeft = options.textBudgetChars;
  const partsOf = new Map<string, LlmContentPart[]>();
  // Newest first: the files of the message being answered get the budget before older ones.
  for (const message of [...history].reverse()) {
    const files = uploads.filter((u) => u.message_id === message.id);
    if (files.length === 0) continue;
    const parts: LlmContentPart[] = [{ type: 'text', text: message.content }];
    for (const file of files) {
      if (isRasterImage(file.media_type) && modelTakesImages && imagesLeft > 0) {
        const bytes = await storage.read(tx, file);
        if (bytes) {
          imagesLeft--;
          parts.push({ type: 'text', text: `[Attached image: ${file.filename}, ${file.width}×${file.height} pixels]` });
          parts.push({ type: 'image_url', image_url: { url: `data:${file.media_type};base64,${bytes.toString('base64')}` } });
          continue;
        }
      }
      if (file.text_content && textLeft > 0) {
        const text = file.text_content.length > textLeft ? `${file.text_content.slice(0, textLeft)}\n[…cut]` : file.text_content;
        textLeft -= text.length;
        parts.push({
          type: 'text',
          text: `[Attached file: ${file.filename}${file.media_type === 'application/pdf' ? ', its text' : ''}]\n${text}`,
        });
        continue;
      }
      parts.push({
        type: 'text',
        text: `[Attached file: ${file.filename}, ${describeType(file.media_type)}; its content is not shown here]`,
      });
    }
    partsOf.set(message.id, parts);
  }
  return history.map((m) => ({ role: m.role, content: partsOf.get(m.id) ?? m.content }));
}
