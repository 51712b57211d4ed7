import { Hono } from 'hono';
import { editMessage, regenerateReply, setMessageFeedback } from '../db/conversation-queries.js';
import { toChatMessage, toMessageFeedback, toTaskSnapshot } from '../db/rows.js';
import type { Queryable } from '../db/types.js';
import { checkMetadataSize, editBody, feedbackBody, regenerateBody } from '../http/conversation-schemas.js';
import { readJson } from '../http/read-json.js';
import { requireCaller, type AuthEnv } from '../middleware/auth/index.js';
import { withAttachments } from '../uploads/attachments.js';
import { createFeedbackWebhook } from '../webhooks/feedback-webhook.js';
import type { RouteDeps } from './deps.js';
import { idParam } from './params.js';

/** The rated reply and the question it answered, for the operator's webhook. */
async function ratedAnswer(tx: Queryable, messageId: string) {
  const { rows } = await tx.query<{ answer: string; question: string | null }>(
    `select a.content as answer, q.content as question
       from public.chat_messages a
       left join public.async_tasks t on t.id = a.async_task_id
       left join public.chat_messages q on q.id::text = t.input ->> 'message_id' and q.conversation_id = a.conversation_id
      where a.id = $1::uuid`,
    [messageId],
  );
  return rows[0] ?? null;
}

/**
 * One message of the visitor's: `POST /api/messages/:id/feedback` (rate a reply),
 * `POST /api/messages/:id/regenerate` (answer the last question again), `POST /api/messages/:id/edit`
 * (replace the last question). Regenerate and edit make a reply as a send does (the same rate
 * limits, the same reply timeout); another visitor's id answers 404 exactly as an unknown one.
 */
export function messageRoutes({ config, db, verify, logger, limits, metrics, uploads }: RouteDeps) {
  const { feedbackWebhookUrl, metadataMaxBytes } = config.chatFeatures;
  const notify =
    feedbackWebhookUrl && config.webhookSecret
      ? createFeedbackWebhook({ url: feedbackWebhookUrl, secret: config.webhookSecret, logger })
      : null;

  return new Hono<AuthEnv>()
    .post('/:id/feedback', requireCaller(verify), limits.manage, async (c) => {
      const id = idParam(c, 'message');
      const body = await readJson(c, feedbackBody);
      const caller = c.get('caller');
      const { row, rated } = await db.asUser(caller.claims, async (tx) => {
        const row = (await setMessageFeedback(tx, id, body.rating, body.comment ?? null))!;
        return { row, rated: notify ? await ratedAnswer(tx, id) : null };
      });
      const feedback = toMessageFeedback(row);
      metrics.feedbackStored(feedback.rating);
      if (notify && rated) {
        const event = {
          type: 'message.feedback',
          conversationId: row.conversation_id,
          visitorId: caller.userId,
          feedback,
          ...rated,
        } as const;
        void notify(event)
          .then(metrics.feedbackDelivered)
          .catch((error: unknown) => logger.error({ err: error, messageId: id }, 'feedback webhook failed'));
      }
      return c.json(feedback);
    })
    .post('/:id/regenerate', requireCaller(verify), limits.send, async (c) => {
      const id = idParam(c, 'message');
      const body = await readJson(c, regenerateBody);
      const sent = await db.asUser(c.get('caller').claims, (tx) =>
        regenerateReply(tx, id, body.idempotencyKey, config.chatReplyTimeoutSeconds),
      );
      if (sent.created) metrics.taskCreated(sent.task.kind);
      logger.info({ requestId: c.get('requestId' as never), taskId: sent.task.id, created: sent.created }, 'reply regenerated');
      return c.json(
        {
          conversationId: sent.conversationId,
          message: toChatMessage(sent.message),
          task: toTaskSnapshot(sent.task),
          replaced: sent.replaced.map(toChatMessage),
        },
        sent.created ? 201 : 200,
      );
    })
    .post('/:id/edit', requireCaller(verify), limits.send, async (c) => {
      const id = idParam(c, 'message');
      const body = await readJson(c, editBody);
      const metadata = checkMetadataSize(body.metadata, metadataMaxBytes);
      const caller = c.get('caller');
      const sent = await db.asUser(caller.claims, async (tx) => {
        const sent = await editMessage(
          tx,
          id,
          { content: body.content, idempotencyKey: body.idempotencyKey, metadata },
          config.chatReplyTimeoutSeconds,
        );
        // The question's files moved to the edited message with its text.
        const [message] = await withAttachments(tx, [toChatMessage(sent.message)], uploads.urls, caller.userId);
        return { ...sent, wireMessage: message! };
      });
      if (sent.created) metrics.taskCreated(sent.task.kind);
      logger.info({ requestId: c.get('requestId' as never), taskId: sent.task.id, created: sent.created }, 'message edited');
      return c.json(
        {
          conversationId: sent.conversationId,
          message: sent.wireMessage,
          task: toTaskSnapshot(sent.task),
          replaced: sent.replaced.map(toChatMessage),
        },
        sent.created ? 201 : 200,
      );
    });
}
