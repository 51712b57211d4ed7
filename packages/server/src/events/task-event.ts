import type { TaskOutput, TaskSnapshot } from '@app/async-tasks/contract';

/** What a stream sends for a task: the whole snapshot, or only the text its reply grew by. */
export type TaskStreamEvent = { event: 'task'; data: TaskSnapshot } | { event: 'output'; data: TaskOutput };

/** Fields that move with every write, and so say nothing about what changed. */
const BOOKKEEPING = new Set<keyof TaskSnapshot>(['version', 'updatedAt', 'partialText']);

/**
 * The event that brings a stream from `last` (the snapshot it last sent of this task) to `next`.
 * A streaming reply is written several times a second and may grow to 16,000 characters: when
 * only its text grew by appending (and the version and timestamp moved), the stream sends the
 * new characters (`output`), so a reply costs its length once instead of once per write. Any
 * other change — status, status message, attempt, a replaced or shortened text, a task this
 * stream has not sent yet — is a whole `task` event.
 *
 * @example
 * const { event, data } = taskEvent(lastSent.get(row.id), toTaskSnapshot(row));
 * send(event, data, row.seq);
 */
export function taskEvent(last: TaskSnapshot | undefined, next: TaskSnapshot): TaskStreamEvent {
  const before = last?.partialText ?? '';
  const after = next.partialText ?? '';
  if (!last || last.id !== next.id || after.length <= before.length || !after.startsWith(before) || !sameOtherwise(last, next)) {
    return { event: 'task', data: next };
  }
  return {
    event: 'output',
    data: { taskId: next.id, version: next.version, updatedAt: next.updatedAt, from: before.length, text: after.slice(before.length) },
  };
}

function sameOtherwise(a: TaskSnapshot, b: TaskSnapshot): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as Array<keyof TaskSnapshot>);
  for (const key of keys) {
    if (BOOKKEEPING.has(key)) continue;
    // result and error are jsonb: the database gives their keys in one order, so JSON compares them.
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) return false;
  }
  return true;
}
