import type { ChatMetadata } from '@app/async-tasks/contract';
import { z } from 'zod';
import { ApiError } from './api-error.js';

// The bodies of the conversation list, feedback, regenerate and edit, and the metadata a message
// may carry. Strict objects: an unknown field is an error. (The body as a whole has already been
// checked for what the database cannot store: NUL, lone surrogates, deep nesting.)

const idempotencyKey = z.string().min(1).max(255);

/** A conversation title: 1…200 characters after trimming; null (or blank) clears it. */
const title = z
  .string()
  .max(1000, 'must be at most 200 characters')
  .nullable()
  .transform((t) => t?.trim() || null)
  .refine((t) => t === null || t.length <= 200, 'must be at most 200 characters');

export const createConversationBody = z.strictObject({ title: title.optional() });

export const renameConversationBody = z.strictObject({ title });

/**
 * The site's metadata of a message: a JSON object (its values any JSON). Its size is the route's
 * to check (`checkMetadataSize`), to answer 413 like every other size limit.
 */
export const metadataField = z
  .custom<ChatMetadata>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected a JSON object')
  .nullish();

export const feedbackBody = z.strictObject({
  rating: z.enum(['up', 'down'], { message: 'expected "up" or "down"' }),
  comment: z.string().max(2000, 'must be at most 2000 characters').nullish(),
});

export const regenerateBody = z.strictObject({ idempotencyKey });

export const editBody = z.strictObject({
  content: z
    .string()
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .refine((s) => s.length <= 16_000, 'must be at most 16000 characters'),
  idempotencyKey,
  metadata: metadataField,
});

/** The list's query: `limit` 1…100 (default 20) and the opaque `cursor` of the previous page. */
export const conversationListQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'expected 1…100')
    .refine((s) => Number(s) >= 1 && Number(s) <= 100, 'expected 1…100')
    .optional(),
  cursor: z.string().max(200).optional(),
});

/** The bytes of the metadata's JSON text against `METADATA_MAX_BYTES`: over it is a 413 naming both. */
export function checkMetadataSize(metadata: ChatMetadata | null | undefined, maxBytes: number): ChatMetadata | null {
  if (metadata == null) return null;
  const bytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
  if (bytes > maxBytes) {
    throw new ApiError(413, 'payload_too_large', `metadata is ${bytes} bytes as JSON; at most ${maxBytes} (METADATA_MAX_BYTES)`);
  }
  return metadata;
}
