/**
 * A file on a chat message (or uploaded, not yet sent), as the server describes it to the visitor
 * who owns it. `url` reads it for a short while without an Authorization header (an `<img>` can
 * use it); a page of history or a stream event after it expired carries a fresh one.
 *
 * @example
 * const thumb = (a: Attachment) => (a.inline ? `<img src="${new URL(a.url, apiBase)}">` : a.filename);
 */
export interface Attachment {
  id: string;
  /** The name to show and to download as; never a path. */
  filename: string;
  /** Decided from the content by the server. */
  mediaType: string;
  byteSize: number;
  /** Pixels of an image, null otherwise. */
  width: number | null;
  height: number | null;
  /** The read URL: a path on the API's origin (`/api/uploads/<id>/content?t=…`); resolve it against the API's base URL. */
  url: string;
  /** When `url` stops working (ISO 8601). */
  urlExpiresAt: string;
  /** True for images a browser shows inline; anything else is served as a download. */
  inline: boolean;
}

/**
 * Answer of `POST /api/uploads`: the stored file, to be named in `attachmentIds` of a send.
 *
 * @example
 * const upload: UploadResult = await transport.upload(file, { onProgress });
 */
export type UploadResult = Attachment;

/**
 * What the server accepts (`GET /api/uploads/settings`), so a client can refuse early what the server would.
 *
 * @example
 * const ok = (s: UploadSettings, f: File) => s.enabled && f.size <= s.maxFileBytes;
 */
export interface UploadSettings {
  enabled: boolean;
  maxFileBytes: number;
  maxFilesPerMessage: number;
  allowedTypes: string[];
}
