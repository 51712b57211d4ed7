import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './api-error.js';
import { unstorableJson } from './storable-json.js';

/**
 * Reads the request body as JSON and validates it against a strict schema: malformed JSON,
 * a wrong content type, unknown fields and wrong types become a 400 with a message that names
 * the field. So does anything the database could not store — a NUL character or a lone surrogate
 * in any string or field name, objects and arrays nested deeper than `MAX_JSON_DEPTH` (32) —
 * checked before the schema (whose recursive walk a very deep value would overflow).
 * (Oversized bodies are stopped earlier by the body-limit middleware.)
 *
 * @example
 * const body = await readJson(c, sendSchema);
 */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? '';
  const raw = await c.req.text();
  if (raw.trim() === '') {
    return parse(schema, {});
  }
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new ApiError(400, 'malformed_json', 'the request body is not valid JSON');
  }
  const unstorable = unstorableJson(value);
  if (unstorable) throw new ApiError(400, 'invalid_input', unstorable);
  return parse(schema, value);
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.');
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}${path ? ` in ${path}` : ''}`
      : `${path || 'body'}: ${issue.message}`;
  throw new ApiError(400, 'invalid_input', message);
}
