import type { ErrorCode } from '@app/async-tasks/contract';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error the API answers with `{ error: { code, message } }` and `status`.
 *
 * @example
 * throw new ApiError(404, 'not_found', 'task not found');
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}
