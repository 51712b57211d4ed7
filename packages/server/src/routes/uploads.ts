import { randomUUID } from 'node:crypto';
import type { UploadSettings } from '@app/async-tasks/contract';
import { Hono } from 'hono';
import type { Queryable } from '../db/types.js';
import { ApiError } from '../http/api-error.js';
import { requireCaller, type AuthEnv } from '../middleware/auth/index.js';
import { toAttachment } from '../uploads/attachments.js';
import { inspectUpload } from '../uploads/inspect-upload.js';
import { readBodyUpTo } from '../uploads/read-body.js';
import { createUpload, readUpload } from '../uploads/upload-queries.js';
import { servedAs } from '../uploads/upload-urls.js';
import type { RouteDeps } from './deps.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const notFound = () => new ApiError(404, 'not_found', 'upload not found');

/** The `:id` as a uuid; a malformed one is as unknown as another visitor's. */
function uploadId(raw: string | undefined): string {
  if (!raw || !UUID.test(raw)) throw notFound();
  return raw.toLowerCase();
}

/**
 * `POST /api/uploads?filename=<name>` (the file as the raw body), `GET /api/uploads/settings`,
 * `GET /api/uploads/:id` (its description with a fresh read URL) and
 * `GET /api/uploads/:id/content?t=<token>` (the file, for whoever holds a read URL).
 */
export function uploadRoutes({ config, db, logger, uploads, verify, limits, now }: RouteDeps) {
  const settings = config.uploads;
  const disabled = () => new ApiError(404, 'not_found', 'attachments are turned off on this server (UPLOADS_ENABLED)');
  return new Hono<AuthEnv>()
    .get('/settings', (c) =>
      c.json({
        enabled: settings.enabled,
        maxFileBytes: settings.maxFileBytes,
        maxFilesPerMessage: settings.maxFilesPerMessage,
        allowedTypes: settings.allowedTypes,
      } satisfies UploadSettings),
    )
    .post('/', requireCaller(verify), limits.upload, async (c) => {
      if (!settings.enabled) throw disabled();
      const caller = c.get('caller');
      const bytes = await readBodyUpTo(c, settings.maxFileBytes);
      const file = await inspectUpload(
        { bytes, filename: c.req.query('filename') ?? null, declaredType: c.req.header('content-type') ?? null },
        settings,
      );
      const key = uploads.storage.keyFor(caller.userId, randomUUID());
      await uploads.storage.put(key, file.bytes, file.mediaType);
      let row: Awaited<ReturnType<typeof createUpload>>;
      try {
        row = await db.asService((tx) =>
          createUpload(tx, {
            ownerId: caller.userId,
            file,
            storage: uploads.storage.kind,
            storageKey: key,
            ttlSeconds: settings.unattachedTtlSeconds,
            maxBytesPerDay: settings.maxBytesPerVisitorPerDay,
          }),
        );
      } catch (error) {
        if (key) await uploads.storage.remove([key]).catch(() => {});
        throw error;
      }
      if (row === null) {
        if (key) await uploads.storage.remove([key]).catch(() => {});
        throw new ApiError(
          429,
          'rate_limited',
          `today's uploads would pass ${settings.maxBytesPerVisitorPerDay} bytes (UPLOAD_MAX_BYTES_PER_VISITOR_PER_DAY); try again tomorrow`,
          { 'retry-after': String(secondsToUtcMidnight(new Date(now()))) },
        );
      }
      logger.info({ uploadId: row.id, mediaType: row.media_type, byteSize: row.byte_size, storage: row.storage }, 'upload stored');
      return c.json(toAttachment(row, uploads.urls, caller.userId), 201);
    })
    .get('/:id', requireCaller(verify), async (c) => {
      const id = uploadId(c.req.param('id'));
      const caller = c.get('caller');
      const row = await db.asUser(caller.claims, (tx) => readUpload(tx, id));
      if (!row) throw notFound();
      return c.json(toAttachment(row, uploads.urls, caller.userId));
    })
    .get('/:id/content', async (c) => {
      const id = uploadId(c.req.param('id'));
      const grant = uploads.urls.verify(id, c.req.query('t') ?? '');
      if (!grant) throw notFound();
      // Read as whom the URL was made for: a visitor's URL reads under that visitor's RLS.
      const read = <T>(fn: (tx: Queryable) => Promise<T>) =>
        grant.kind === 'visitor' ? db.asUser({ sub: grant.visitorId, role: 'authenticated' }, fn) : db.asWorker(fn);
      const served = await read(async (tx) => {
        const row = await readUpload(tx, id);
        if (!row) return null;
        const bytes = uploads.storage.kind === 'database' ? await uploads.storage.read(tx, row) : null;
        return { row, bytes };
      });
      if (!served || (uploads.storage.kind === 'database' && !served.bytes)) throw notFound();
      const as = servedAs(served.row);
      const secondsLeft = Math.max(1, grant.expires - Math.floor(now() / 1000));
      const headers: Record<string, string> = {
        'cache-control': `private, max-age=${secondsLeft}`,
        // Never a document: no script, no plugin, no navigation, even if a browser rendered it.
        'content-security-policy': "default-src 'none'; sandbox",
        'cross-origin-resource-policy': 'cross-origin',
        'x-content-type-options': 'nosniff',
      };
      if (uploads.storage.kind === 's3') {
        const location = await uploads.storage.presign(served.row.storage_key, Math.min(60, secondsLeft), as);
        return c.body(null, 302, { ...headers, 'cache-control': 'private, no-store', location: location! });
      }
      const bytes = served.bytes!;
      return c.body(new Uint8Array(bytes), 200, {
        ...headers,
        'content-type': as.contentType,
        'content-disposition': as.disposition,
        'content-length': String(bytes.byteLength),
      });
    });
}

function secondsToUtcMidnight(now = new Date()): number {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((midnight - now.getTime()) / 1000));
}
