import { Hono } from 'hono';
import { ApiError } from '../http/api-error.js';
import { hookBody } from '../http/schemas.js';
import { unstorableJson } from '../http/storable-json.js';
import { verifyWebhook } from '../webhooks/standard-webhooks.js';
import { parseTaskCallbackId } from '../webhooks/task-callback-id.js';
import type { RouteDeps } from './deps.js';
import { idParam } from './params.js';
import type { z } from 'zod';
import { runWorkerCall } from '../runner/worker-calls.js';

/**
 * `POST /api/hooks/tasks/:id`: start, progress, output (a piece of a streamed reply), complete,
 * fail and cancel-acknowledge (with the text the stopped reply keeps) callbacks
 * for workers that cannot reach the database, signed as Standard Webhooks with `WEBHOOK_SECRET`.
 * The signed `webhook-id` is `<taskId>.<attempt>.<unique>` and must name the task of the path and
 * the attempt of the body: a callback signed for another task or attempt is refused. A wrong
 * signature, a timestamp more than 5 minutes off, an id bound to something else or a replayed
 * `webhook-id` → 401 and nothing changes.
 */
export function hookRoutes({ config, db, replayStore, logger, now }: RouteDeps) {
  return new Hono().post('/tasks/:id', async (c) => {
    if (!config.webhookSecret) throw new ApiError(404, 'not_found', 'callbacks are not enabled (set WEBHOOK_SECRET)');
    const raw = await c.req.text();
    const verified = verifyWebhook(
      config.webhookSecret,
      { id: c.req.header('webhook-id'), timestamp: c.req.header('webhook-timestamp'), signature: c.req.header('webhook-signature') },
      raw,
      now(),
    );
    if (!verified.ok) throw new ApiError(401, 'invalid_signature', verified.reason);
    const taskId = idParam(c, 'task');

    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new ApiError(400, 'malformed_json', 'the request body is not valid JSON');
    }
    // What the database cannot store (a NUL, a lone surrogate, JSON nested too deep) is refused
    // naming the field, before the schema, as for every other body.
    const unstorable = unstorableJson(value);
    if (unstorable) throw new ApiError(400, 'invalid_input', unstorable);
    const parsed = hookBody.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ApiError(400, 'invalid_input', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const body = parsed.data as z.infer<typeof hookBody>;
    // The body names no task: what binds the signed message to this task is its id.
    const bound = parseTaskCallbackId(verified.id);
    if (!bound || bound.taskId !== taskId || bound.attempt !== body.attempt) {
      logger.warn(
        { taskId, attempt: body.attempt, webhookId: verified.id },
        'task callback refused: its webhook-id names another task or attempt',
      );
      throw new ApiError(
        401,
        'invalid_signature',
        'webhook-id must be "<taskId>.<attempt>.<unique>" naming the task of the path and the attempt of the body',
      );
    }
    if (await replayStore.seen(verified.id)) throw new ApiError(401, 'replayed', 'this webhook-id was already delivered');
    const applied = await runWorkerCall(db, taskId, body);
    // Output callbacks come several times a second per reply: kept out of the info log.
    logger[body.type === 'output' ? 'debug' : 'info'](
      { taskId, attempt: body.attempt, type: body.type, applied, webhookId: verified.id },
      'task callback',
    );
    return c.json({ ok: true, applied });
  });
}
