import type { UploadRow } from '../db/upload-table.js';
import type { Queryable } from '../db/types.js';
import type { CheckedFile } from './inspect-upload.js';

// The SQL of uploads. Reads run as the reader (visitor: RLS shows only their own rows; worker:
// async_worker); create_upload runs as service_role.

/** Every column but the extracted text (read only for a prompt). */
const COLUMNS = `id, owner_id, filename, media_type, byte_size, width, height, storage, storage_key, null::text as text_content,
  conversation_id, message_id, expires_at, created_at`;

/** The new row, or null when the owner's bytes for the day would pass `maxBytesPerDay`. */
export async function createUpload(
  tx: Queryable,
  input: {
    ownerId: string;
    file: CheckedFile;
    storage: 'database' | 's3';
    storageKey: string | null;
    ttlSeconds: number;
    maxBytesPerDay: number;
  },
): Promise<UploadRow | null> {
  const { file } = input;
  const { rows } = await tx.query<UploadRow>(
    `select ${COLUMNS} from public.create_upload($1::uuid, $2::text, $3::text, $4::int, $5::int, $6::int, $7::text, $8::text, $9::text,
       $10::bytea, $11::int, $12::bigint) where id is not null`,
    [
      input.ownerId,
      file.filename,
      file.mediaType,
      file.bytes.byteLength,
      file.width,
      file.height,
      input.storage,
      input.storageKey,
      file.text,
      input.storage === 'database' ? file.bytes : null,
      input.ttlSeconds,
      input.maxBytesPerDay,
    ],
  );
  return rows[0] ?? null;
}

export const readUpload = async (tx: Queryable, id: string): Promise<UploadRow | null> =>
  (await tx.query<UploadRow>(`select ${COLUMNS} from public.uploads where id = $1::uuid`, [id])).rows[0] ?? null;

/** The uploads on these messages, oldest first. */
export async function readMessageUploads(tx: Queryable, messageIds: string[], withText = false): Promise<UploadRow[]> {
  if (messageIds.length === 0) return [];
  const columns = withText ? COLUMNS.replace('null::text as text_content', 'text_content') : COLUMNS;
  const { rows } = await tx.query<UploadRow>(
    `select ${columns} from public.uploads where message_id = any($1::uuid[]) order by created_at, id`,
    [messageIds],
  );
  return rows;
}

/** attach_uploads: the caller's uploads onto the caller's user message (idempotent). */
export async function attachUploads(tx: Queryable, messageId: string, uploadIds: string[], maxFiles: number): Promise<UploadRow[]> {
  const { rows } = await tx.query<UploadRow>(`select ${COLUMNS} from public.attach_uploads($1::uuid, $2::uuid[], $3::int)`, [
    messageId,
    uploadIds,
    maxFiles,
  ]);
  return rows;
}
