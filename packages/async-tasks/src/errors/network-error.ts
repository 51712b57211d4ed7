import { defineError } from './define-error.js';

/**
 * The request got no answer: offline, DNS, connection reset, or the stream was cut. Always retryable.
 *
 * @example
 * if (NetworkError.isInstance(error)) showProblem(error.message);
 */
export const NetworkError = defineError('NetworkError', () => true);
export type NetworkError = InstanceType<typeof NetworkError>;
