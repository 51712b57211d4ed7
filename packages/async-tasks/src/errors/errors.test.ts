import { describe, expect, it } from 'vitest';
import { AsyncTaskError } from './async-task-error.js';
import { AuthError } from './auth-error.js';
import { ConversationNotFoundError } from './conversation-not-found-error.js';
import { errorFromResponse } from './error-from-response.js';
import { HttpError } from './http-error.js';
import { NetworkError } from './network-error.js';
import { TaskNotFoundError } from './task-not-found-error.js';
import { ValidationError } from './validation-error.js';

describe('errorFromResponse', () => {
  const body = { error: { code: 'content_too_long', message: 'A message has at most 16000 characters.' } };

  it.each([
    [400, 'other', ValidationError, false],
    [422, 'other', ValidationError, false],
    [401, 'task', AuthError, false],
    [403, 'task', AuthError, false],
    [404, 'task', TaskNotFoundError, false],
    [404, 'conversation', ConversationNotFoundError, false],
    [404, 'other', HttpError, false],
    [409, 'task', HttpError, false],
    [429, 'task', HttpError, true],
    [500, 'task', HttpError, true],
    [503, 'conversation', HttpError, true],
  ] as const)('maps %i (%s) to the right class, retryable=%s', (status, resource, Class, retryable) => {
    const error = errorFromResponse(status, body, resource);
    expect(Class.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status, retryable, code: 'content_too_long', message: body.error.message });
    expect(error.cause).toBe(body);
  });

  it('falls back to the status when the body is not the error shape', () => {
    expect(errorFromResponse(502, '<html>bad gateway</html>')).toMatchObject({ code: 'http_502', message: 'HTTP 502' });
  });
});

describe('isInstance', () => {
  it('tells the classes apart and recognises the base class', () => {
    const error = new NetworkError({ message: 'offline' });
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(AsyncTaskError.isInstance(error)).toBe(true);
    expect(HttpError.isInstance(error)).toBe(false);
    expect(AsyncTaskError.isInstance(new Error('x'))).toBe(false);
    expect(AsyncTaskError.isInstance(null)).toBe(false);
  });

  it('works across two copies of the package (marker, not prototype)', () => {
    // What a second bundled copy produces: an object from another class with the same markers.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('app.async-tasks.error')]: true,
      [Symbol.for('app.async-tasks.error.TaskNotFoundError')]: true,
    });
    expect(foreign instanceof TaskNotFoundError).toBe(false);
    expect(TaskNotFoundError.isInstance(foreign)).toBe(true);
  });

  it('keeps the cause', () => {
    const cause = new TypeError('fetch failed');
    expect(new NetworkError({ message: 'offline', cause }).cause).toBe(cause);
    expect(new NetworkError({ message: 'offline' }).retryable).toBe(true);
  });
});
