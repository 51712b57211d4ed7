import { defineError } from './define-error.js';

/**
 * The server rejected the input (HTTP 400/422), e.g. a message over 16,000 characters. Never retried.
 *
 * @example
 * if (ValidationError.isInstance(error)) showProblem(error.message);
 */
export const ValidationError = defineError('ValidationError', () => false);
export type ValidationError = InstanceType<typeof ValidationError>;
