import { atom } from 'nanostores';
import type { ActiveTaskLike, ChatItemLike, ChatSessionLike } from '../src/widget/session-like.js';

/** A chat session whose stores tests set by hand, recording the commands it was given. */
export function fakeSession(messages: ChatItemLike[] = []) {
  const calls: string[] = [];
  const session = {
    $messages: atom<readonly ChatItemLike[]>(messages),
    $activeTask: atom<ActiveTaskLike | null>(null),
    $connection: atom<'connecting' | 'live' | 'reconnecting' | 'offline'>('live'),
    send: (text: string) => calls.push(`send:${text}`),
    stop: () => calls.push('stop'),
    retry: () => calls.push('retry'),
    destroy: () => calls.push('destroy'),
  } satisfies ChatSessionLike;
  return { session, calls };
}

/** A task in the given state. */
export function task(
  status: ActiveTaskLike['status'],
  statusMessage: string | null = null,
  error: ActiveTaskLike['error'] = null,
): ActiveTaskLike {
  return { id: 't1', status, statusMessage, error, attempt: 1 };
}
