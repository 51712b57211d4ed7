import { Hono } from 'hono';
import { cancelTask, createTask, readTask, retryTask } from '../db/queries.js';
import { toTaskSnapshot } from '../db/rows.js';
import { openEventStream } from '../events/event-stream.js';
import { taskFeed } from '../events/task-feed.js';
import { ApiError } from '../http/api-error.js';
import { readJson } from '../http/read-json.js';
import { createTaskBody, defaultAttempts, emptyBody, inputBytes } from '../http/schemas.js';
import { requireCaller, type AuthEnv } from '../middleware/auth/index.js';
import { clientIpKey } from '../middleware/rate-limit/client-ip.js';
import type { RouteDeps } from './deps.js';
import { idParam } from './params.js';

const notFound = () => new ApiError(404, 'not_found', 'task not found');

/** Generic tasks: create, read, cancel, retry, stream. */
export function taskRoutes({ config, db, hub, verify, logger, now, limits, streamSlots, stopExecution, metrics }: RouteDeps) {
  const taskBody = createTaskBody(config.tasks);
  return new Hono<AuthEnv>()
    .use(requireCaller(verify))
    .post('/', limits.createTask, async (c) => {
      const body = await readJson(c, taskBody);
      const bytes = inputBytes(body.input);
      if (bytes > config.tasks.maxInputBytes) {
        throw new ApiError(413, 'payload_too_large', `input: at most ${config.tasks.maxInputBytes} bytes as JSON text (got ${bytes})`);
      }
      const { task, created } = await db.asUser(c.get('caller').claims, (tx) =>
        createTask(tx, { ...body, maxAttempts: body.maxAttempts ?? defaultAttempts(config.tasks) }),
      );
      logger.info({ requestId: c.get('requestId' as never), taskId: task.id, kind: body.kind, created }, 'task created');
      if (created) metrics.taskCreated(task.kind);
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
    .post('/:id/retry', limits.retry, async (c) => {
      const id = idParam(c, 'task');
      await readJson(c, emptyBody);
      const row = await db.asUser(c.get('caller').claims, (tx) => retryTask(tx, id));
      if (!row) throw notFound();
      return c.json(toTaskSnapshot(row));
    })
    .get('/:id/stream', limits.openStream, async (c) => {
      const id = idParam(c, 'task');
      const caller = c.get('caller');
      if (!(await db.asUser(caller.claims, (tx) => readTask(tx, id)))) throw notFound();
      const onError = (error: unknown) => logger.error({ err: error, taskId: id }, 'task stream read failed');
      const release = await streamSlots.take(caller.userId, clientIpKey(c, config.trustProxy));
      return openEventStream(c, {
        expiresAtMs: caller.expiresAt * 1000,
        now,
        logger,
        onClosed: release,
        metrics,
        start: taskFeed({ db, hub, caller, taskId: id, onError }),
      });
    });
}
