import type { ServerDatabase } from '../db/types.js';
import { isRasterImage } from './content-type.js';
import { readUpload } from './upload-queries.js';
import type { UploadServices } from './upload-services.js';

// A workflow passes an image to the model as the download URL it was given (`image_url.url`).
// The model cannot be expected to reach this server, so the relay puts the image itself in its
// place (a data: URL) before the request goes upstream: only URLs of this server's uploads with a
// genuine, unexpired worker token, and only images. Anything else is passed on as it is.

const UPLOAD_URL = /\/api\/uploads\/([0-9a-f-]{36})\/content\?t=([A-Za-z0-9._%-]+)$/i;

type Part = { type?: unknown; image_url?: { url?: unknown } };

export async function inlineUploadUrls(messages: unknown[], db: ServerDatabase, uploads: UploadServices): Promise<number> {
  let inlined = 0;
  for (const message of messages) {
    const content = (message as { content?: unknown }).content;
    if (!Array.isArray(content)) continue;
    for (const part of content as Part[]) {
      if (part?.type !== 'image_url' || typeof part.image_url?.url !== 'string') continue;
      const match = UPLOAD_URL.exec(part.image_url.url);
      if (!match) continue;
      const id = match[1]!.toLowerCase();
      const grant = uploads.urls.verify(id, decodeURIComponent(match[2]!));
      if (grant?.kind !== 'worker') continue;
      const data = await db.asWorker(async (tx) => {
        const row = await readUpload(tx, id);
        if (!row || !isRasterImage(row.media_type)) return null;
        const bytes = await uploads.storage.read(tx, row);
        return bytes && `data:${row.media_type};base64,${bytes.toString('base64')}`;
      });
      if (data) {
        part.image_url.url = data;
        inlined++;
      }
    }
  }
  return inlined;
}
