import { ApiError } from '../http/api-error.js';
import { describeType, detectMediaType, isRasterImage, typeOfExtension } from './content-type.js';
import { safeFilename } from './filename.js';
import { ImageRefused, sanitizeImage } from './image-sanitizer.js';
import { pdfText } from './pdf-text.js';
import { textOf } from './text-content.js';
import type { UploadConfig } from './upload-config.js';

/** A file that passed every check, as it will be stored. */
export interface CheckedFile {
  filename: string;
  mediaType: string;
  bytes: Buffer;
  width: number | null;
  height: number | null;
  /** What the model reads of a text file. */
  text: string | null;
}

// The names browsers and systems give the same types (a .csv is text/csv, an old JPEG image/pjpeg).
const ALIASES: Record<string, string> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg', 'application/x-pdf': 'application/pdf' };

/** Whether a declared type is the detected one, a name for it, or says nothing (octet-stream); any text/* fits plain text. */
function declaredFits(declared: string, detected: string): boolean {
  if (declared === 'application/octet-stream') return true;
  if (detected === 'text/plain' && declared.startsWith('text/')) return true;
  return (ALIASES[declared] ?? declared) === detected;
}

const accepted = (config: UploadConfig) => config.allowedTypes.map((t) => describeType(t).replace(/^(a|an|of type) /, '')).join(', ');

/**
 * Decides what a file is from its bytes and checks it against the settings: refused with a 4xx
 * (and nothing stored) when it is empty, of an unknown or a refused type, when its name or its
 * declared type says another type than its content, or when an image cannot be read or is too large.
 * Images come back re-encoded without their metadata.
 */
export async function inspectUpload(
  input: { bytes: Uint8Array; filename: string | null; declaredType: string | null },
  config: UploadConfig,
): Promise<CheckedFile> {
  const filename = safeFilename(input.filename);
  if (input.bytes.byteLength === 0) throw new ApiError(400, 'invalid_input', 'the file is empty');
  const mediaType = await detectMediaType(input.bytes);
  if (mediaType === null || !config.allowedTypes.includes(mediaType)) {
    const what = mediaType === null ? 'of a type the server does not recognise' : describeType(mediaType);
    throw new ApiError(415, 'unsupported_media_type', `the file is ${what}; accepted: ${accepted(config)}`);
  }
  const named = typeOfExtension(filename);
  if (named !== null && named !== mediaType) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      `the content is ${describeType(mediaType)}, but the name "${filename}" says ${describeType(named)}`,
    );
  }
  const declared = input.declaredType?.split(';')[0]?.trim().toLowerCase() || null;
  if (declared !== null && !declaredFits(declared, mediaType)) {
    throw new ApiError(415, 'unsupported_media_type', `the content is ${describeType(mediaType)}, but it was sent as ${declared}`);
  }

  if (isRasterImage(mediaType)) {
    try {
      const image = await sanitizeImage(input.bytes, mediaType, config.maxImagePixels);
      return { filename, mediaType, bytes: image.bytes, width: image.width, height: image.height, text: null };
    } catch (error) {
      if (!(error instanceof ImageRefused)) throw error;
      throw error.reason === 'too_large'
        ? new ApiError(413, 'payload_too_large', error.message)
        : new ApiError(400, 'invalid_input', `${error.message} (${describeType(mediaType)} expected)`);
    }
  }
  const text =
    mediaType === 'text/plain'
      ? textOf(input.bytes, config.textMaxChars)
      : mediaType === 'application/pdf'
        ? await pdfText(input.bytes, { maxChars: config.textMaxChars })
        : null;
  return { filename, mediaType, bytes: Buffer.from(input.bytes), width: null, height: null, text };
}
