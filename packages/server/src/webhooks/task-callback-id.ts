import { randomUUID } from 'node:crypto';

// A signed callback is bound to one task attempt through its `webhook-id`, which the signature
// covers: `<taskId>.<attempt>.<unique>`. The server refuses a callback whose id names another task
// than its path or another attempt than its body, so a callback signed for one task cannot be
// replayed against another (the body alone names no task). The unique part keeps each delivery's
// id distinct for the replay store. The dispatch to a workflow uses `<taskId>.<attempt>` the same way.

const UNIQUE = /^[A-Za-z0-9_-]{1,100}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `webhook-id` of a callback about `taskId`'s attempt `attempt`.
 *
 * @example
 * signWebhook(secret, raw, { id: taskCallbackId(taskId, 1) });
 */
export function taskCallbackId(taskId: string, attempt: number, unique: string = randomUUID()): string {
  return `${taskId}.${attempt}.${unique}`;
}

/** The task and attempt a callback's `webhook-id` names; null when it is not of that form. */
export function parseTaskCallbackId(id: string): { taskId: string; attempt: number } | null {
  const [taskId, attempt, unique, ...rest] = id.split('.');
  if (rest.length || !taskId || !attempt || !unique) return null;
  if (!UUID.test(taskId) || !/^[1-9]\d{0,8}$/.test(attempt) || !UNIQUE.test(unique)) return null;
  return { taskId: taskId.toLowerCase(), attempt: Number(attempt) };
}
