import { fileTypeFromBuffer } from 'file-type';

// The type of a file is what its bytes are, never what its name or a header says: file-type reads
// the magic bytes of binary formats; what has none is plain text when it is valid UTF-8 without
// control characters, and SVG when that text is an <svg> document.

const SVG_START =
  /^\uFEFF?\s*(<\?xml[^>]{0,200}>\s*)?(<!--[\s\S]{0,2000}?-->\s*)*(<!DOCTYPE[^>]{0,500}>\s*)?(<!--[\s\S]{0,2000}?-->\s*)*<svg[\s>/]/i;
// Controls other than tab, line feed, form feed and carriage return mark a binary file.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const BINARY_CONTROL = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/;

/** The media type of `bytes`, or null when the content is of no type the server recognises. */
export async function detectMediaType(bytes: Uint8Array): Promise<string | null> {
  const found = await fileTypeFromBuffer(bytes);
  if (found && !found.mime.endsWith('/xml')) return found.mime;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return found?.mime ?? null;
  }
  if (BINARY_CONTROL.test(text)) return found?.mime ?? null;
  if (SVG_START.test(text.slice(0, 8192))) return 'image/svg+xml';
  return found?.mime ?? 'text/plain';
}

/** What a type is called in a message to a person. */
export function describeType(mediaType: string): string {
  const names: Record<string, string> = {
    'image/png': 'a PNG image',
    'image/jpeg': 'a JPEG image',
    'image/gif': 'a GIF image',
    'image/webp': 'a WebP image',
    'image/svg+xml': 'an SVG image',
    'application/pdf': 'a PDF document',
    'text/plain': 'plain text',
    'application/zip': 'a ZIP archive',
  };
  return names[mediaType] ?? `of type ${mediaType}`;
}

/** The type a file name's extension claims, when it is one the server knows. */
export function typeOfExtension(filename: string): string | null {
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(filename)?.[1]?.toLowerCase();
  if (!ext) return null;
  const types: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    jfif: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    svg: 'image/svg+xml',
    pdf: 'application/pdf',
    txt: 'text/plain',
    text: 'text/plain',
    log: 'text/plain',
    md: 'text/plain',
    csv: 'text/plain',
    html: 'text/html',
    htm: 'text/html',
    js: 'text/javascript',
    zip: 'application/zip',
    exe: 'application/x-msdownload',
  };
  return types[ext] ?? null;
}

/** Raster images a browser shows inline and a model reads. */
export const isRasterImage = (mediaType: string) => ['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(mediaType);
