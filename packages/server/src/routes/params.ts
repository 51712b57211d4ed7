import type { Context } from 'hono';
import { ApiError } from '../http/api-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `:id` path parameter as a uuid. A malformed id gets the same 404 as an unknown or foreign
 * one, so the answer never tells which it was.
 */
export function idParam(c: Context, what: 'task' | 'conversation' | 'message'): string {
  const id = c.req.param('id') ?? '';
  if (!UUID.test(id)) throw new ApiError(404, 'not_found', `${what} not found`);
  return id.toLowerCase();
}

/** `Last-Event-ID` as a seq, or null when absent or not a number. */
export function lastEventId(c: Context): number | null {
  const raw = c.req.header('last-event-id')?.trim();
  return raw && /^\d{1,18}$/.test(raw) ? Number(raw) : null;
}
