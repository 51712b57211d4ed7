import { z } from 'zod';
import { metadataField } from './conversation-schemas.js';
import { findUnstorable } from './storable-json.js';

// Request bodies. Every object is strict: an unknown field is an error, not silently dropped.

type Json = z.infer<ReturnType<typeof z.json>>;

/**
 * A JSON value `levelsAbove` levels inside a body that the database can store, checked by an iterative
 * walk: `z.json()` recurses, and a value nested a few thousand levels deep overflows its stack.
 * (Bodies are parsed JSON, so every value is JSON; only presence, depth and text are checked.)
 */
const storableJson = (levelsAbove = 1) =>
  z
    .custom<Json>((value) => value !== undefined, 'expected a JSON value')
    .superRefine((value, ctx) => {
      const found = findUnstorable(value, levelsAbove);
      if (found) ctx.addIssue({ code: 'custom', message: found.problem, path: found.path });
    });

const uuid = z.uuid({ message: 'expected a uuid' });
const idempotencyKey = z.string().min(1).max(255);

export const emptyBody = z.strictObject({});

export const refreshBody = z.strictObject({ refreshToken: z.string().min(1).max(4096) });

export const sendBody = z.strictObject({
  conversationId: uuid.nullish(),
  metadata: metadataField,
  content: z
    .string()
    .refine((s) => s.trim().length > 0, 'must not be empty')
    .refine((s) => s.length <= 16_000, 'must be at most 16000 characters'),
  idempotencyKey,
  attachmentIds: z.array(uuid).max(20, 'at most 20 attachments').optional(),
});

/** Kinds the server reserves; `chat.reply` tasks are made by `POST /api/chat/send`. */
export const RESERVED_KINDS = ['chat.reply'];

/** The operator's bounds on generic tasks (`MAX_TASK_ATTEMPTS`, `MAX_TASK_INPUT_BYTES`). */
export interface TaskLimits {
  /** The most attempts a task may ask for (the database allows 50). */
  maxAttempts: number;
  /** The largest `input`, in bytes of its JSON text (the database allows 64 KB). */
  maxInputBytes: number;
}

/** Attempts of a task that does not say: the database's default, within the operator's maximum. */
export const defaultAttempts = (limits: TaskLimits) => Math.min(3, limits.maxAttempts);

/**
 * `POST /api/tasks` under the operator's limits. The input's size is checked by the route
 * (`inputBytes`), to answer 413 like every other size limit.
 */
export const createTaskBody = (limits: TaskLimits) =>
  z.strictObject({
    kind: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._:-]{0,99}$/, 'lowercase letters, digits, ".", "_", ":" and "-", at most 100 (e.g. email.draft)')
      .refine((k) => !RESERVED_KINDS.includes(k), 'this kind is reserved; use POST /api/chat/send'),
    input: storableJson(),
    idempotencyKey,
    maxAttempts: z.int().min(1).max(limits.maxAttempts, `must be at most ${limits.maxAttempts}`).optional(),
    timeoutSeconds: z.int().min(1).max(86_400).optional(),
  });

/** A task input's size as the limit counts it: the bytes of its JSON text (UTF-8). */
export const inputBytes = (input: unknown) => Buffer.byteLength(JSON.stringify(input), 'utf8');

/**
 * `schema` behind the whole-body check `readJson` makes (NUL, lone surrogates, nesting), for a
 * route that parses its body itself (the signed callbacks verify the raw text first).
 */
const storableBody = <T extends z.ZodType>(schema: T) =>
  z
    .unknown()
    .superRefine((value, ctx) => {
      const found = findUnstorable(value);
      if (!found) return;
      const path = found.problem.startsWith('nests') ? found.path.filter((p) => typeof p === 'string') : found.path;
      ctx.addIssue({ code: 'custom', message: found.problem, path });
    })
    .pipe(schema);

export const hookBody = storableBody(
  z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('start'),
      attempt: z.int().min(1),
      statusMessage: z.string().max(500).nullish(),
      executionId: z.string().max(255).nullish(),
    }),
    z.strictObject({ type: z.literal('progress'), attempt: z.int().min(1), statusMessage: z.string().min(1).max(500) }),
    // A piece of a streamed reply: appended, or with replace the text starts over. The database
    // refuses a text that would pass 16,000 characters (413).
    z.strictObject({
      type: z.literal('output'),
      attempt: z.int().min(1),
      text: z.string().max(16_000, 'must be at most 16000 characters'),
      replace: z.boolean().optional(),
    }),
    z.strictObject({ type: z.literal('complete'), attempt: z.int().min(1), result: storableJson() }),
    z.strictObject({
      type: z.literal('fail'),
      attempt: z.int().min(1),
      error: z.strictObject({
        code: z.string().min(1).max(100),
        message: z.string().min(1).max(2000),
        retryable: z.boolean().optional(),
        details: storableJson(2).optional(),
      }),
    }),
    // partialText: the text the stopped reply keeps (the worker's last words).
    z.strictObject({
      type: z.literal('cancel'),
      attempt: z.int().min(1),
      partialText: z.string().max(16_000, 'must be at most 16000 characters').optional(),
    }),
  ]),
);

export const idParam = uuid;

export const conversationQuery = z.strictObject({
  before: z
    .string()
    .regex(/^\d{1,18}$/, 'expected a whole number')
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'expected 1…100')
    .refine((s) => Number(s) >= 1 && Number(s) <= 100, 'expected 1…100')
    .optional(),
});
