import { defineError } from './define-error.js';

/**
 * The caller is not (or no longer) allowed: HTTP 401 after one token refresh, or 403. Never retried.
 *
 * @example
 * if (AuthError.isInstance(error)) showProblem(error.message);
 */
export const AuthError = defineError('AuthError', () => false);
export type AuthError = InstanceType<typeof AuthError>;
