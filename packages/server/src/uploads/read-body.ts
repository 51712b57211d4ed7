import type { Context } from 'hono';
import { ApiError } from '../http/api-error.js';

const tooLarge = (max: number) => new ApiError(413, 'payload_too_large', `the file is larger than ${max} bytes (UPLOAD_MAX_FILE_BYTES)`);

/**
 * The request body as bytes, at most `max` of them: a Content-Length over it is refused before a
 * byte is read, and a body that passes it while streaming is cut off there (never buffered whole).
 */
export async function readBodyUpTo(c: Context, max: number): Promise<Uint8Array> {
  const length = c.req.header('content-length');
  if (length !== undefined && Number(length) > max) throw tooLarge(max);
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
