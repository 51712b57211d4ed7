import { Hono } from 'hono';
import { z } from 'zod';
import { readFeedback } from '../db/conversation-queries.js';
import { conversationExists, readConversationTasks, readMessagePage } from '../db/queries.js';
import { toChatMessage, toMessageFeedback, toTaskSnapshot } from '../db/rows.js';
import { openConversationFeed } from '../events/conversation-feed.js';
import { openEventStream } from '../events/event-stream.js';
import { ApiError } from '../http/api-error.js';
import { withAttachments } from '../uploads/attachments.js';
import { requireCaller, type AuthEnv } from '../middleware/auth/index.js';
import { clientIpKey } from '../middleware/rate-limit/client-ip.js';
import type { RouteDeps } from './deps.js';
import { idParam, lastEventId } from './params.js';

const pageQuery = z.object({
  before: z
    .string()
    .regex(/^\d{1,18}$/, 'before: expected a message seq')
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'limit: expected 1…100')
    .refine((s) => Number(s) >= 1 && Number(s) <= 100, 'limit: expected 1…100')
    .optional(),
});

const notFound = () => new ApiError(404, 'not_found', 'conversation not found');

/** `GET /api/conversations/:id` (a page of history) and `GET /api/conversations/:id/stream` (SSE). */
export function conversationRoutes({ config, db, hub, verify, logger, now, limits, streamSlots, metrics, uploads }: RouteDeps) {
  return new Hono<AuthEnv>()
    .use(requireCaller(verify))
    .get('/:id', async (c) => {
      const id = idParam(c, 'conversation');
      const query = pageQuery.safeParse(c.req.query());
      if (!query.success) throw new ApiError(400, 'invalid_input', query.error.issues[0]!.message);
      const before = query.data.before ? Number(query.data.before) : null;
      const limit = query.data.limit ? Number(query.data.limit) : 50;
      const page = await db.asUser(c.get('caller').claims, async (tx) => {
        if (!(await conversationExists(tx, id))) throw notFound();
        const { messages, nextBefore } = await readMessagePage(tx, id, before, limit);
        const taskIds = messages.map((m) => m.async_task_id).filter((t): t is string => typeof t === 'string');
        const feedback = await readFeedback(
          tx,
          messages.filter((m) => m.role === 'assistant').map((m) => m.id),
        );
        const wire = await withAttachments(tx, messages.map(toChatMessage), uploads.urls, c.get('caller').userId);
        return { messages: wire, nextBefore, tasks: await readConversationTasks(tx, id, taskIds), feedback };
      });
      return c.json({
        conversationId: id,
        messages: page.messages,
        tasks: page.tasks.map(toTaskSnapshot),
        nextBefore: page.nextBefore,
        feedback: page.feedback.map(toMessageFeedback),
      });
    })
    .get('/:id/stream', limits.openStream, async (c) => {
      const id = idParam(c, 'conversation');
      const caller = c.get('caller');
      const onError = (error: unknown) => logger.error({ err: error, conversationId: id }, 'conversation stream read failed');
      // The snapshot is read before the response, in the transaction that finds the conversation
      // to be the caller's: a stranger's or a deleted one is a 404, and an open costs one read.
      const feed = await openConversationFeed({
        db,
        hub,
        caller,
        conversationId: id,
        lastEventId: lastEventId(c),
        onError,
        decorate: (tx, messages) => withAttachments(tx, messages, uploads.urls, caller.userId),
      });
      if (!feed) throw notFound();
      let release: () => void;
      try {
        release = await streamSlots.take(caller.userId, clientIpKey(c, config.trustProxy));
      } catch (error) {
        feed.cancel();
        throw error;
      }
      return openEventStream(c, {
        expiresAtMs: caller.expiresAt * 1000,
        now,
        logger,
        onClosed: release,
        metrics,
        start: feed.start,
      });
    });
}
