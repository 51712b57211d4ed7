import { isRasterImage } from './content-type.js';
import { contentDisposition } from './filename.js';
import { type ReadGrant, signReadToken, verifyReadToken } from './read-token.js';
import type { ServedAs } from './upload-storage.js';

/** The read URLs of uploads: per visitor for the browser, per workflow for n8n. */
export interface UploadUrls {
  /** A path on this server's origin that reads the upload as `visitorId` until it expires. */
  forVisitor(uploadId: string, visitorId: string): { url: string; expiresAt: Date };
  /** An absolute URL a workflow downloads the upload from (null without WEBHOOK_SECRET). */
  forWorker(uploadId: string, publicBase: string): string | null;
  verify(uploadId: string, token: string): ReadGrant | null;
  readonly ttlSeconds: number;
}

export function createUploadUrls({
  visitorKey,
  workerKey,
  ttlSeconds,
  now = Date.now,
}: {
  visitorKey: string;
  workerKey: string | null;
  ttlSeconds: number;
  now?: () => number;
}): UploadUrls {
  const keys = { visitor: visitorKey, worker: workerKey };
  // Expiries are rounded up to a whole minute: URLs made within one minute are identical, so a
  // browser reuses its cached image across re-renders, and none lives less than ttlSeconds.
  const expiry = () => Math.ceil((now() / 1000 + ttlSeconds) / 60) * 60;
  const path = (id: string, token: string) => `/api/uploads/${id}/content?t=${encodeURIComponent(token)}`;
  return {
    ttlSeconds,
    forVisitor(uploadId, visitorId) {
      const expires = expiry();
      return {
        url: path(uploadId, signReadToken(keys, uploadId, { kind: 'visitor', visitorId, expires })),
        expiresAt: new Date(expires * 1000),
      };
    },
    forWorker(uploadId, publicBase) {
      if (!workerKey) return null;
      return `${publicBase.replace(/\/+$/, '')}${path(uploadId, signReadToken(keys, uploadId, { kind: 'worker', expires: expiry() }))}`;
    },
    verify: (uploadId, token) => verifyReadToken(keys, uploadId, token, now()),
  };
}

/**
 * How a file is served: raster images inline with their type; everything else (PDF, text, SVG)
 * as a download, SVG as application/octet-stream so no browser ever renders it as a document.
 */
export function servedAs(upload: { media_type: string; filename: string }): ServedAs {
  if (isRasterImage(upload.media_type))
    return { contentType: upload.media_type, disposition: contentDisposition('inline', upload.filename) };
  const contentType =
    upload.media_type === 'text/plain'
      ? 'text/plain; charset=utf-8'
      : upload.media_type === 'image/svg+xml'
        ? 'application/octet-stream'
        : upload.media_type;
  return { contentType, disposition: contentDisposition('attachment', upload.filename) };
}
