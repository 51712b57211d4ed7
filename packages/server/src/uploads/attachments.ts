import type { Attachment } from '@app/async-tasks/contract';
import type { UploadRow } from '../db/upload-table.js';
import type { Queryable } from '../db/types.js';
import { isRasterImage } from './content-type.js';
import { readMessageUploads } from './upload-queries.js';
import type { UploadUrls } from './upload-urls.js';

/** The wire shape of an upload, with a fresh read URL for the visitor. */
export function toAttachment(row: UploadRow, urls: UploadUrls, visitorId: string): Attachment {
  const { url, expiresAt } = urls.forVisitor(row.id, visitorId);
  return {
    id: row.id,
    filename: row.filename,
    mediaType: row.media_type,
    byteSize: row.byte_size,
    width: row.width,
    height: row.height,
    url,
    urlExpiresAt: expiresAt.toISOString(),
    inline: isRasterImage(row.media_type),
  };
}

/**
 * Messages with their attachments (`attachments` only on messages that have some), read as the
 * visitor in `tx`: one query for all of them.
 */
export async function withAttachments<M extends { id: string; role: string }>(
  tx: Queryable,
  messages: M[],
  urls: UploadUrls,
  visitorId: string,
): Promise<(M & { attachments?: Attachment[] })[]> {
  const ids = messages.filter((m) => m.role === 'user').map((m) => m.id);
  const rows = await readMessageUploads(tx, ids);
  if (rows.length === 0) return messages;
  const byMessage = new Map<string, Attachment[]>();
  for (const row of rows) {
    const list = byMessage.get(row.message_id!) ?? [];
    list.push(toAttachment(row, urls, visitorId));
    byMessage.set(row.message_id!, list);
  }
  return messages.map((m) => (byMessage.has(m.id) ? { ...m, attachments: byMessage.get(m.id)! } : m));
}
