import type { ChatStrings } from '../i18n/strings.js';
import type { TaskError } from '@app/async-tasks';

/**
 * A human-readable reason for a failed reply, from the task's error code. The server's own
 * message is technical and not shown.
 *
 * @example
 * describeError({ code: 'timeout', message: 'deadline passed' }, en) // 'The reply took too long…'
 */
export function describeError(error: Pick<TaskError, 'code' | 'message'> | null, strings: ChatStrings): string {
  const code = error?.code ?? '';
  if (/timeout|timed_out|deadline/.test(code)) return strings.errorTimeout;
  if (/offline|network/.test(code)) return strings.errorOffline;
  if (code) return strings.errorFailed;
  return strings.errorGeneric;
}
