import { Hono } from 'hono';
import { cancelTask, createTask, readTask, retryTask } from '../db/queries.js';
import { toTaskSnapshot } from '../db/rows.js';
import { openEventStream } from '../events/event-stream.js';
import { taskFeed } from '../events/task-feed.js';
import { ApiError } from '../http/api-error.js';
import { readJson } from '../http/read-json.js';
import { createTaskBody, emptyBody } from '../http/schemas.js';
import { requireCaller, type AuthEnv } from '../middleware/auth/index.js';
import type { RouteDeps } from './deps.js';
import { idParam } from './params.js';

const notFound = () => new ApiError(404, 'not_found', 'task not found');

/** Generic tasks: create, read, cancel, retry, stream. */
export function taskRoutes({ db, hub, verify, logger, now, streamSlots, stopExecution }: RouteDeps) {
  return new Hono<AuthEnv>()
    .use(requireCaller(verify))
    .post('/', async (c) => {
      const body = await readJson(c, createTaskBody);
      const { task, created } = await db.asUser(c.get('caller').claims, (tx) => createTask(tx, body));
      logger.info({ requestId: c.get('requestId' as never), taskId: task.id, kind: body.kind, created }, 'task created');
      return c.json(toTaskSnapshot(task), created ? 201 : 200);
    })
    .get('/:id', async (c) => {
      const id = idParam(c, 'task');
      const row = await db.asUser(c.get('caller').claims, (tx) => readTask(tx, id));
      if (!row) throw notFound();
      return c.json(toTaskSnapshot(row));
    })
    .post('/:id/cancel', async (c) => {
      const id = idParam(c, 'task');
      await readJson(c, emptyBody);
      const row = await db.asUser(c.get('caller').claims, (tx) => cancelTask(tx, id));
      if (!row) throw notFound();
      await stopExecution(row);
      return c.json(toTaskSnapshot(row));
    })
    .post('/:id/retry', async (c) => {
      const id = idParam(c, 'task');
      await readJson(c, emptyBody);
      const row = await db.asUser(c.get('caller').claims, (tx) => retryTask(tx, id));
      if (!row) throw notFound();
      return c.json(toTaskSnapshot(row));
    })
    .get('/:id/stream', async (c) => {
      const id = idParam(c, 'task');
      const caller = c.get('caller');
      if (!(await db.asUser(caller.claims, (tx) => readTask(tx, id)))) throw notFound();
      const onError = (error: unknown) => logger.error({ err: error, taskId: id }, 'task stream read failed');
      const release = streamSlots.take(caller.userId);
      return openEventStream(c, {
        expiresAtMs: caller.expiresAt * 1000,
        now,
        logger,
        onClosed: release,
        start: taskFeed({ db, hub, caller, taskId: id, onError }),
      });
    });
}
