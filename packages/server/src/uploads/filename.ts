// A file's name is shown to people and offered as the download's name; it never becomes a path or
// a storage key (those are the upload's id). What is kept: the last segment of whatever path was
// sent, without control characters, at most 200 characters, "file" when nothing is left.

// Controls, the bidirectional overrides that disguise an extension, and the path separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
const UNSAFE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069/\\]/g;

export function safeFilename(raw: string | null | undefined): string {
  const last = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = last
    .replace(UNSAFE, '')
    .replace(/^[.\s]+/, '')
    .trim();
  const name = [...cleaned].slice(0, 200).join('');
  return name.length > 0 ? name : 'file';
}

/** `filename="…"` and `filename*=UTF-8''…` for a Content-Disposition header. */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7E]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
