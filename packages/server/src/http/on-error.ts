import type { ErrorBody } from '@app/async-tasks/contract';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { ApiError } from './api-error.js';
import { databaseErrorToApiError } from './database-error.js';
import { databaseUnavailableToApiError } from './database-unavailable.js';

/** The one error handler: every error becomes `{ error: { code, message } }` with its status. */
export const onError = (logger: Logger) => (error: Error, c: Context) => {
  let api: ApiError | null = error instanceof ApiError ? error : databaseErrorToApiError(error);
  if (!api && error instanceof HTTPException) {
    api = new ApiError(
      error.status as ApiError['status'],
      error.status === 413 ? 'payload_too_large' : 'bad_request',
      error.message || 'bad request',
    );
  }
  if (!api) {
    api = databaseUnavailableToApiError(error);
    if (api) logger.warn({ err: error, requestId: c.get('requestId' as never) }, 'database unavailable');
  }
  if (!api) {
    logger.error({ err: error, requestId: c.get('requestId' as never) }, 'unhandled error');
    return c.json({ error: { code: 'internal', message: 'internal server error' } } satisfies ErrorBody, 500);
  }
  for (const [name, value] of Object.entries(api.headers)) c.header(name, value);
  return c.json({ error: { code: api.code, message: api.message } } satisfies ErrorBody, api.status);
};
