import { Hono } from 'hono';
import { sendChatMessage } from '../db/queries.js';
import { toChatMessage, toTaskSnapshot } from '../db/rows.js';
import { checkMetadataSize } from '../http/conversation-schemas.js';
import { readJson } from '../http/read-json.js';
import { sendBody } from '../http/schemas.js';
import { requireCaller, type AuthEnv } from '../middleware/auth/index.js';
import { attachToMessage } from '../uploads/attach-to-message.js';
import { withAttachments } from '../uploads/attachments.js';
import type { RouteDeps } from './deps.js';

/** `POST /api/chat/send`: stores the visitor's message and its `chat.reply` task. */
export function chatRoutes({ config, db, verify, logger, limits, metrics, uploads }: RouteDeps) {
  return new Hono<AuthEnv>().post('/send', requireCaller(verify), limits.send, async (c) => {
    const caller = c.get('caller');
    const body = await readJson(c, sendBody);
    const metadata = checkMetadataSize(body.metadata, config.chatFeatures.metadataMaxBytes);
    const sent = await db.asUser(caller.claims, async (tx) => {
      const sent = await sendChatMessage(
        tx,
        body.conversationId ?? null,
        body.content,
        body.idempotencyKey,
        config.chatReplyTimeoutSeconds,
        metadata,
      );
      await attachToMessage(tx, sent.message.id, body.attachmentIds, config.uploads);
      const [message] = await withAttachments(tx, [toChatMessage(sent.message)], uploads.urls, caller.userId);
      return { ...sent, wireMessage: message! };
    });
    logger.info(
      { requestId: c.get('requestId' as never), taskId: sent.task.id, conversationId: sent.conversationId, created: sent.created },
      'chat message stored',
    );
    if (sent.created) metrics.taskCreated(sent.task.kind);
    return c.json(
      { conversationId: sent.conversationId, message: sent.wireMessage, task: toTaskSnapshot(sent.task) },
      sent.created ? 201 : 200,
    );
  });
}
