import type { ChatMetadata } from '../contract/index.js';
import { ValidationError } from '../errors/validation-error.js';

/** The server's default limit on a message's metadata, bytes of its JSON text. */
export const METADATA_MAX_BYTES = 4096;

const invalid = (message: string) => new ValidationError({ message, code: 'invalid_metadata', status: 400 });

/**
 * The metadata as the server will store it, or a `ValidationError` saying why it cannot go:
 * not a plain object, a value JSON cannot carry as it is (a function, `undefined`, a date or other
 * class instance, `NaN`, a cycle), or over the size limit. Checked before sending, so a mistake in
 * the host page shows at once instead of as a server's 400 on every message.
 */
export function plainMetadata(value: unknown): ChatMetadata | null | ValidationError {
  if (value === null || value === undefined) return null;
  if (!isPlainObject(value)) return invalid('metadata must be a plain JSON object');
  const seen = new Set<unknown>();
  const stack: Array<[unknown, string]> = [[value, 'metadata']];
  while (stack.length) {
    const [item, path] = stack.pop()!;
    if (item === null || typeof item === 'string' || typeof item === 'boolean') continue;
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return invalid(`${path}: numbers must be finite`);
      continue;
    }
    if (typeof item !== 'object') return invalid(`${path}: a ${typeof item} is not JSON`);
    if (seen.has(item)) return invalid(`${path}: metadata must not contain a cycle or a shared object`);
    seen.add(item);
    if (Array.isArray(item)) {
      for (const [i, v] of item.entries()) stack.push([v, `${path}[${i}]`]);
    } else if (isPlainObject(item)) for (const [k, v] of Object.entries(item)) stack.push([v, `${path}.${k}`]);
    else return invalid(`${path}: only plain objects and arrays are JSON (not ${item.constructor?.name ?? 'this object'})`);
  }
  const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
  if (bytes > METADATA_MAX_BYTES) return invalid(`metadata is ${bytes} bytes as JSON; at most ${METADATA_MAX_BYTES}`);
  return value as ChatMetadata;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The session's metadata with a send's merged over it, key by key; a send's `null` sends none. */
export function mergeMetadata(session: ChatMetadata | null, send: ChatMetadata | null | undefined): unknown {
  if (send === null) return null;
  if (send === undefined) return session;
  return session ? { ...session, ...send } : send;
}
