import type { AsyncTaskError } from './async-task-error.js';
import { AuthError } from './auth-error.js';
import { ConversationNotFoundError } from './conversation-not-found-error.js';
import { HttpError } from './http-error.js';
import { TaskNotFoundError } from './task-not-found-error.js';
import { ValidationError } from './validation-error.js';

/** What a 404 refers to, so it maps to the right class. */
export type ResourceKind = 'task' | 'conversation' | 'other';

/**
 * Maps an error answer (`{"error":{"code","message"}}`, contracts.md §2) to a typed error.
 * 400/422 → ValidationError, 401/403 → AuthError, 404 → TaskNotFoundError or
 * ConversationNotFoundError, anything else → HttpError (retryable for 5xx and 429).
 *
 * @example
 * throw errorFromResponse(res.status, await res.json().catch(() => null), 'task');
 */
export function errorFromResponse(status: number, body: unknown, resource: ResourceKind = 'other'): AsyncTaskError {
  const { code, message } = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error ?? {};
  const options = {
    code: typeof code === 'string' ? code : `http_${status}`,
    message: typeof message === 'string' ? message : `HTTP ${status}`,
    status,
    cause: body,
  };
  if (status === 400 || status === 422) return new ValidationError(options);
  if (status === 401 || status === 403) return new AuthError(options);
  if (status === 404 && resource === 'task') return new TaskNotFoundError(options);
  if (status === 404 && resource === 'conversation') return new ConversationNotFoundError(options);
  return new HttpError(options);
}
