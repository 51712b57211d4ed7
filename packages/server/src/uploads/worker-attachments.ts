import type { Queryable } from '../db/types.js';
import { isRasterImage } from './content-type.js';
import type { UploadUrls } from './upload-urls.js';
import type { UploadRow } from '../db/upload-table.js';

/** What a workflow gets of a file on the message it answers (in the signed dispatch body). */
export interface WorkerAttachment {
  id: string;
  filename: string;
  mediaType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  /** True for images (pass them to the model as image_url parts). */
  inline: boolean;
  /** Downloads the file until the URL expires (UPLOAD_URL_TTL_SECONDS); the LLM relay turns it into the image itself. */
  url: string;
}

/** The files of the user message a task answers, read as the worker, with download URLs on `publicBase`. */
export async function attachmentsOfTask(tx: Queryable, taskId: string, urls: UploadUrls, publicBase: string): Promise<WorkerAttachment[]> {
  const { rows } = await tx.query<Pick<UploadRow, 'id' | 'filename' | 'media_type' | 'byte_size' | 'width' | 'height'>>(
    `select u.id, u.filename, u.media_type, u.byte_size, u.width, u.height
       from public.uploads u
      where u.message_id = (select m.id from public.chat_messages m
                             where m.async_task_id = $1::uuid and m.role = 'user' order by m.seq limit 1)
      order by u.created_at, u.id`,
    [taskId],
  );
  return rows.flatMap((row) => {
    const url = urls.forWorker(row.id, publicBase);
    if (!url) return [];
    return [
      {
        id: row.id,
        filename: row.filename,
        mediaType: row.media_type,
        byteSize: row.byte_size,
        width: row.width,
        height: row.height,
        inline: isRasterImage(row.media_type),
        url,
      },
    ];
  });
}
