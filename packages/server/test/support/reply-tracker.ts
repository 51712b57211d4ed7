import type { TaskOutput, TaskSnapshot } from '@app/async-tasks/contract';
import type { SseEvent } from './sse-reader.js';

interface Tracked {
  version: number;
  attempt: number;
  status: string;
  partialText: string | null;
}

/**
 * Applies a stream's events to each task's reply text as a client does: snapshots and `task`
 * events replace the task, an `output` event patches the text when it is newer and its `from`
 * fits (contract/stream.ts). Keeps every text each task showed, in order, and counts `output`
 * events that could not be applied (a server bug: it must only send those on top of what it sent).
 *
 * @example
 * const replies = replyTracker();
 * replies.apply(await sse.next());
 * expect(replies.texts(taskId).at(-1)).toBe('Hello');
 */
export function replyTracker() {
  const tasks = new Map<string, Tracked>();
  const shown = new Map<string, string[]>();
  let unapplied = 0;

  const record = (id: string, text: string | null) => {
    if (text === null) return;
    const list = shown.get(id) ?? [];
    if (list.at(-1) !== text) list.push(text);
    shown.set(id, list);
  };
  const put = (task: TaskSnapshot) => {
    const known = tasks.get(task.id);
    if (known && known.version >= task.version) return;
    tasks.set(task.id, { version: task.version, attempt: task.attempt, status: task.status, partialText: task.partialText });
    record(task.id, task.partialText);
  };
  const patch = (out: TaskOutput) => {
    const known = tasks.get(out.taskId);
    const before = known?.partialText ?? '';
    if (!known || known.version >= out.version || before.length < out.from) {
      unapplied += 1;
      return;
    }
    known.version = out.version;
    known.partialText = before.slice(0, out.from) + out.text;
    record(out.taskId, known.partialText);
  };

  return {
    apply(event: SseEvent) {
      if (event.event === 'snapshot') {
        const list: TaskSnapshot[] = Array.isArray(event.data.tasks) ? event.data.tasks : [event.data];
        for (const task of list) put(task);
      } else if (event.event === 'task') put(event.data);
      else if (event.event === 'output') patch(event.data);
    },
    /** The task as the client holds it now. */
    task: (id: string) => tasks.get(id),
    /** Every distinct non-null text the task showed, in order. */
    texts: (id: string) => shown.get(id) ?? [],
    get unapplied() {
      return unapplied;
    },
  };
}
