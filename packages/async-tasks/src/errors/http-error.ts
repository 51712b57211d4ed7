import { defineError } from './define-error.js';

/**
 * The server answered with an error status no more specific class covers (5xx, 429, 409, …). Retryable for 5xx and 429.
 *
 * @example
 * if (HttpError.isInstance(error)) showProblem(error.message);
 */
export const HttpError = defineError('HttpError', (status) => status >= 500 || status === 429);
export type HttpError = InstanceType<typeof HttpError>;
