import type { MessageFeedback } from '@app/async-tasks/contract';
import type { Logger } from 'pino';
import { signWebhook } from './standard-webhooks.js';

/** What the operator's endpoint is told about one rating. */
export interface FeedbackEvent {
  type: 'message.feedback';
  conversationId: string;
  /** The visitor (the token's subject): to tell one visitor's ratings from another's, not who they are. */
  visitorId: string;
  feedback: MessageFeedback;
  /** The rated reply and the question it answered (null when it is not known). */
  answer: string;
  question: string | null;
}

export interface FeedbackWebhookOptions {
  url: string;
  secret: string;
  logger: Logger;
  /** Tries per rating (the first included). Default 3. */
  attempts?: number;
  /** Wait before the second try; doubles. Default 1 s. */
  backoffMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * Posts each rating to the operator's endpoint (`FEEDBACK_WEBHOOK_URL`, an n8n webhook or any
 * receiver), signed as a Standard Webhook with `WEBHOOK_SECRET` exactly as the dispatch to n8n is.
 * `webhook-id` is `feedback.<messageId>.<updatedAt in ms>`: the same rating tried again has the
 * same id (a receiver drops repeats), a changed rating a new one. Sent after the rating is stored,
 * off the request, tried a few times with backoff on a non-2xx or a network error, then logged:
 * the database (`message_feedback`, the `message_feedback_worst_answers` view) is the record, the
 * webhook a notification.
 *
 * @example
 * const deliver = createFeedbackWebhook({ url, secret, logger });
 * void deliver(event);
 */
export function createFeedbackWebhook({
  url,
  secret,
  logger,
  attempts = 3,
  backoffMs = 1000,
  timeoutMs = 10_000,
  fetch: fetchImpl = globalThis.fetch,
}: FeedbackWebhookOptions) {
  return async function deliver(event: FeedbackEvent): Promise<boolean> {
    const body = JSON.stringify(event);
    const id = `feedback.${event.feedback.messageId}.${Date.parse(event.feedback.updatedAt)}`;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let reason: string;
      try {
        const res = await fetchImpl(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signWebhook(secret, body, { id }) },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.body?.cancel().catch(() => {});
        if (res.ok) return true;
        reason = `answered ${res.status}`;
      } catch (error) {
        reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'could not be reached';
      }
      logger.warn({ messageId: event.feedback.messageId, attempt, reason }, 'feedback webhook failed');
      if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
    }
    return false;
  };
}
