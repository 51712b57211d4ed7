import { defineError } from './define-error.js';

/**
 * The conversation does not exist or belongs to someone else (HTTP 404). Never retried.
 *
 * @example
 * if (ConversationNotFoundError.isInstance(error)) showProblem(error.message);
 */
export const ConversationNotFoundError = defineError('ConversationNotFoundError', () => false);
export type ConversationNotFoundError = InstanceType<typeof ConversationNotFoundError>;
