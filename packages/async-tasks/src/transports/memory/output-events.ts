import type { TaskSnapshot } from '../../contract/index.js';
import type { ConversationStreamEvent, TaskStreamEvent } from '../transport.js';

type StreamEvent = TaskStreamEvent | ConversationStreamEvent;

/**
 * A stream's listener that, like the server's streams, remembers the last version of each task it
 * carried and sends a change that only grew the reply's text (by appending; the version moves too)
 * as an `output` event with the text past what it carried, anything else as the whole `task`.
 * Events a stream misses (offline) are not carried, so what comes next counts from what it had.
 */
export function carryOutput<E extends StreamEvent>(listener: (event: E) => void): (event: E) => void {
  const carried = new Map<string, TaskSnapshot>();
  const rest = (task: TaskSnapshot) => JSON.stringify({ ...task, partialText: 0, version: 0, updatedAt: 0 });
  return (event) => {
    const e: StreamEvent = event;
    const tasks = e.type === 'snapshot' ? ('tasks' in e ? e.tasks : [e.task]) : e.type === 'task' ? [e.task] : [];
    for (const task of tasks) {
      const before = carried.get(task.id);
      carried.set(task.id, task);
      const from = before?.partialText?.length ?? 0;
      const text = task.partialText ?? '';
      if (e.type === 'task' && before && text.length > from && text.startsWith(before.partialText ?? '') && rest(before) === rest(task)) {
        const { id: taskId, version, updatedAt } = task;
        return listener({ type: 'output', output: { taskId, version, updatedAt, from, text: text.slice(from) } } as E);
      }
    }
    listener(event);
  };
}
