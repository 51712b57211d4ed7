import type { ConversationList, DeletedConversation } from '@app/async-tasks/contract';
import { Hono } from 'hono';
import {
  type ConversationCursor,
  createConversation,
  deleteConversation,
  listConversations,
  readConversationSummary,
  renameConversation,
} from '../db/conversation-queries.js';
import { toConversationSummary } from '../db/rows.js';
import { ApiError } from '../http/api-error.js';
import { conversationListQuery, createConversationBody, renameConversationBody } from '../http/conversation-schemas.js';
import { readJson } from '../http/read-json.js';
import { requireCaller, type AuthEnv } from '../middleware/auth/index.js';
import type { RouteDeps } from './deps.js';
import { idParam } from './params.js';

const notFound = () => new ApiError(404, 'not_found', 'conversation not found');

/** The list's cursor on the wire: opaque (base64url of the last row's activity in µs and its id). */
const encodeCursor = ({ micros, id }: ConversationCursor) => Buffer.from(`${micros}.${id}`).toString('base64url');
function decodeCursor(raw: string): ConversationCursor {
  const match = /^(\d{1,19})\.([0-9a-f-]{36})$/.exec(Buffer.from(raw, 'base64url').toString());
  if (!match) throw new ApiError(400, 'invalid_input', 'cursor: expected the nextCursor of a previous page');
  return { micros: match[1]!, id: match[2]! };
}

/**
 * The visitor's conversations: `GET /api/conversations` (newest activity first, paged),
 * `POST /api/conversations` (a new, empty one), `PATCH /api/conversations/:id` (the title),
 * `DELETE /api/conversations/:id` (its reply in flight stopped, then gone with its messages,
 * tasks and feedback). Another visitor's id answers 404 exactly as an unknown one.
 */
export function conversationListRoutes({ db, verify, logger, uploads, limits }: RouteDeps) {
  return new Hono<AuthEnv>()
    .get('/', requireCaller(verify), async (c) => {
      const query = conversationListQuery.safeParse(c.req.query());
      if (!query.success)
        throw new ApiError(400, 'invalid_input', `${query.error.issues[0]!.path.join('.')}: ${query.error.issues[0]!.message}`);
      const cursor = query.data.cursor ? decodeCursor(query.data.cursor) : null;
      const limit = query.data.limit ? Number(query.data.limit) : 20;
      const { rows, next } = await db.asUser(c.get('caller').claims, (tx) => listConversations(tx, cursor, limit));
      return c.json({ conversations: rows.map(toConversationSummary), nextCursor: next && encodeCursor(next) } satisfies ConversationList);
    })
    .post('/', requireCaller(verify), limits.manage, async (c) => {
      const body = await readJson(c, createConversationBody);
      const summary = await db.asUser(c.get('caller').claims, async (tx) => {
        const row = await createConversation(tx, body.title ?? null);
        return readConversationSummary(tx, row!.id);
      });
      return c.json(toConversationSummary(summary!), 201);
    })
    .patch('/:id', requireCaller(verify), limits.manage, async (c) => {
      const id = idParam(c, 'conversation');
      const body = await readJson(c, renameConversationBody);
      const summary = await db.asUser(c.get('caller').claims, async (tx) => {
        if (!(await renameConversation(tx, id, body.title))) throw notFound();
        return readConversationSummary(tx, id);
      });
      return c.json(toConversationSummary(summary!));
    })
    .delete('/:id', requireCaller(verify), limits.manage, async (c) => {
      const id = idParam(c, 'conversation');
      await db.asUser(c.get('caller').claims, (tx) => deleteConversation(tx, id));
      logger.info({ requestId: c.get('requestId' as never), conversationId: id }, 'conversation deleted');
      // Its files went with it; objects in a bucket are deleted now (the upload cleanup retries any left).
      await uploads.cleanup
        .deleteQueuedObjects()
        .catch((error: unknown) => logger.warn({ err: error }, 'deleting the conversation files failed'));
      return c.json({ id, deleted: true } satisfies DeletedConversation);
    });
}
