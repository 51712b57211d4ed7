import { DeleteObjectsCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Queryable } from '../db/types.js';
import type { S3Settings } from './upload-config.js';

// Where an upload's bytes live. `database` (the default): in public.upload_contents, written by
// create_upload in the same transaction as the row and read under the reader's RLS, so PGlite,
// one PostgreSQL shared by several instances and Supabase need nothing else. `s3`: an
// S3-compatible bucket under `<prefix><owner>/<upload id>` (never a file name); the server hands
// out short-lived presigned GET URLs that force the safe type and disposition.

export interface ServedAs {
  contentType: string;
  disposition: string;
}

export interface UploadStorage {
  readonly kind: 'database' | 's3';
  /** s3: the object key of a new upload; database: null. */
  keyFor(ownerId: string, uploadId: string): string | null;
  /** s3: stores the bytes under the key; database: nothing (the row carries them). */
  put(key: string | null, bytes: Uint8Array, mediaType: string): Promise<void>;
  /** The bytes of an upload: from the database through `tx` (as its reader), or from the bucket. */
  read(tx: Queryable, upload: { id: string; storage_key: string | null }): Promise<Buffer | null>;
  /** s3: a presigned GET valid `seconds` that answers with `served`; database: null (the server streams it). */
  presign(key: string | null, seconds: number, served: ServedAs): Promise<string | null>;
  /** s3: deletes the objects; database: nothing (the rows' cascade deleted the bytes). */
  remove(keys: string[]): Promise<void>;
}

async function readFromDatabase(tx: Queryable, uploadId: string): Promise<Buffer | null> {
  const { rows } = await tx.query<{ content: Uint8Array }>('select content from public.upload_contents where upload_id = $1::uuid', [
    uploadId,
  ]);
  return rows[0] ? Buffer.from(rows[0].content) : null;
}

export function databaseStorage(): UploadStorage {
  return {
    kind: 'database',
    keyFor: () => null,
    put: async () => {},
    read: (tx, upload) => readFromDatabase(tx, upload.id),
    presign: async () => null,
    remove: async () => {},
  };
}

export function s3Storage(settings: S3Settings): UploadStorage {
  const client = new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    forcePathStyle: settings.forcePathStyle,
    // Checksums only where S3 requires them: several S3-compatible servers reject the newer default headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = settings.bucket;
  return {
    kind: 's3',
    keyFor: (ownerId, uploadId) => `${settings.keyPrefix}${ownerId}/${uploadId}`,
    async put(key, bytes, mediaType) {
      await client.send(new PutObjectCommand({ Bucket, Key: key!, Body: bytes, ContentType: mediaType, ContentLength: bytes.byteLength }));
    },
    async read(_tx, upload) {
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket, Key: upload.storage_key! }));
        return answer.Body ? Buffer.from(await answer.Body.transformToByteArray()) : null;
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    presign: (key, seconds, served) =>
      getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket,
          Key: key!,
          ResponseContentType: served.contentType,
          ResponseContentDisposition: served.disposition,
        }),
        { expiresIn: seconds },
      ),
    async remove(keys) {
      for (let i = 0; i < keys.length; i += 1000) {
        const batch = keys.slice(i, i + 1000);
        const answer = await client.send(
          new DeleteObjectsCommand({ Bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
        );
        const failed = (answer.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
        if (failed.length > 0) throw new Error(`the bucket refused to delete ${failed.length} objects (${failed[0]?.Code ?? 'unknown'})`);
      }
    },
  };
}

export function uploadStorage(config: { storage: 'database' | 's3'; s3: S3Settings | null }): UploadStorage {
  return config.storage === 's3' && config.s3 ? s3Storage(config.s3) : databaseStorage();
}
