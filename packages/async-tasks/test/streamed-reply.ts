import fc from 'fast-check';
import type { TaskOutput, TaskSnapshot } from '../src/contract/index.js';
import { snapshot } from './fixtures.js';

type Move = 'start' | 'progress' | 'retryableFail' | 'fail' | 'retry' | 'complete' | 'cancel' | { write: string };

/**
 * A reply task's true history, as the database makes it: every state it went through (versions 1,
 * 2, 3, …, `updatedAt` `v<version>`), its text written a few characters at a time, cleared when an
 * attempt goes back to pending, on retry and on completion (the result then holds it), kept on
 * failed and cancelled.
 */
export const replyHistory = (change: Partial<TaskSnapshot> = {}) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom<Move>('start', 'progress', 'retryableFail', 'fail', 'retry', 'complete', 'cancel'),
        fc.string({ minLength: 1, maxLength: 4 }).map((text): Move => ({ write: text })),
        fc.string({ minLength: 1, maxLength: 4 }).map((text): Move => ({ write: text })),
      ),
      { maxLength: 30 },
    )
    .map((moves) => {
      const states: TaskSnapshot[] = [snapshot({ updatedAt: 'v1', ...change })];
      for (const move of moves) {
        const last = states.at(-1)!;
        if (last.status === 'completed' || last.status === 'cancelled') break;
        const next = nextState(last, move);
        const version = last.version + 1;
        if (next) states.push({ ...next, version, updatedAt: `v${version}` });
      }
      return states;
    });

function nextState(last: TaskSnapshot, move: Move): TaskSnapshot | null {
  const { status } = last;
  if (typeof move === 'object') return status === 'processing' ? { ...last, partialText: (last.partialText ?? '') + move.write } : null;
  const error = (retryable: boolean) => ({ code: 'x', message: 'x', retryable });
  switch (move) {
    case 'start':
      return status === 'pending' ? { ...last, status: 'processing', attempt: last.attempt + 1, partialText: null } : null;
    case 'progress':
      return status === 'processing' ? { ...last, statusMessage: `step ${last.version}` } : null;
    case 'retryableFail':
      return status === 'processing' ? { ...last, status: 'pending', partialText: null, error: error(true) } : null;
    case 'fail':
      return status === 'processing' ? { ...last, status: 'failed', error: error(false) } : null;
    case 'retry':
      return status === 'failed' ? { ...last, status: 'pending', partialText: null, maxAttempts: last.attempt + 1 } : null;
    case 'complete':
      return status === 'processing'
        ? { ...last, status: 'completed', partialText: null, result: { content: last.partialText ?? '' } }
        : null;
    case 'cancel':
      return status !== 'failed' ? { ...last, status: 'cancelled' } : null;
  }
}

/**
 * What a stream sends for a task that changed from `before` (what it carried last) to `after`, as
 * the server does: an `output` when only the text grew by appending, from any point up to the end
 * of the text it carried (`pick` chooses), else the whole task.
 */
export function streamed(
  before: TaskSnapshot,
  after: TaskSnapshot,
  pick: number,
): { type: 'output'; output: TaskOutput } | { type: 'task'; task: TaskSnapshot } {
  const carried = before.partialText ?? '';
  const text = after.partialText ?? '';
  const rest = (t: TaskSnapshot) => JSON.stringify({ ...t, partialText: null, version: 0, updatedAt: '' });
  if (rest(before) !== rest(after) || text.length <= carried.length || !text.startsWith(carried)) return { type: 'task', task: after };
  const from = pick % (carried.length + 1);
  return { type: 'output', output: { taskId: after.id, version: after.version, updatedAt: after.updatedAt, from, text: text.slice(from) } };
}

/** Each event a second time somewhere after the first (a stream may repeat itself, never reorder). */
export function withDuplicates<T>(events: T[], picks: number[]): T[] {
  const out = [...events];
  for (const p of picks) {
    if (!out.length) break;
    const at = p % out.length;
    out.splice(at + 1 + (p % (out.length - at)), 0, out[at]!);
  }
  return out;
}

/** The queues merged in an order `picks` chooses, each keeping its own order. */
export function interleave<T>(queues: T[][], picks: number[]): T[] {
  const left = queues.map((q) => [...q]);
  const out: T[] = [];
  for (let n = 0; left.some((q) => q.length); n++) {
    const open = left.filter((q) => q.length);
    out.push(open[(picks[n % picks.length] ?? 0) % open.length]!.shift()!);
  }
  return out;
}
