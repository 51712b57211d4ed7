import type { TaskOutput, TaskSnapshot } from '../../contract/index.js';
import type { ConversationStreamEvent, TaskStreamEvent } from '../transport.js';

type StreamEvent = TaskStreamEvent | ConversationStreamEvent;

/**
 * A stream's listener that, like the server's streams, remembers the last version of each task it
 * carried and sends a change that only grew the reply's text as an `output` event (the text past
 * what it carried), anything else as the whole `task`. Events a stream misses (offline) are not
 * carried, so what comes next is a whole task until a snapshot catches up.
 */
export function carryOutput<E extends StreamEvent>(listener: (event: E) => void): (event: E) => void {
  const carried = new Map<string, TaskSnapshot>();
  return (event) => {
    const e: StreamEvent = event;
    const before = e.type === 'task' ? carried.get(e.task.id) : undefined;
    const tasks = e.type === 'snapshot' ? ('tasks' in e ? e.tasks : [e.task]) : e.type === 'task' ? [e.task] : [];
    for (const task of tasks) carried.set(task.id, task);
    const output = e.type === 'task' && before && grown(before, e.task);
    listener(output ? ({ type: 'output', output } as E) : event);
  };
}

/** The growth from `before` to `after` when only the text grew by appending (and the version moved). */
function grown(before: TaskSnapshot, after: TaskSnapshot): TaskOutput | null {
  const from = before.partialText?.length ?? 0;
  const text = after.partialText ?? '';
  const rest = (task: TaskSnapshot) => JSON.stringify({ ...task, partialText: null, version: 0, updatedAt: '' });
  if (text.length <= from || !text.startsWith(before.partialText ?? '') || rest(before) !== rest(after)) return null;
  return { taskId: after.id, version: after.version, updatedAt: after.updatedAt, from, text: text.slice(from) };
}
