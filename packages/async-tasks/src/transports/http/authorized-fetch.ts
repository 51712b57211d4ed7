import { AsyncTaskError } from '../../errors/async-task-error.js';
import type { ResourceKind } from '../../errors/error-from-response.js';
import { NetworkError } from '../../errors/network-error.js';
import type { TokenSource } from './anonymous-session.js';
import type { ServerFetch } from './server-fetch.js';

/**
 * `fetch` against the server as the current visitor; resolves only with a successful answer and
 * rejects only with an `AsyncTaskError`. `refresh: true` asks for a fresh token first (after the
 * server's `expired` event).
 */
export type AuthorizedFetch = (
  path: string,
  init?: RequestInit,
  options?: { resource?: ResourceKind; refresh?: boolean },
) => Promise<Response>;

/**
 * The one way the HTTP transport reaches the server as someone, for commands and streams alike:
 * the token in the `Authorization` header (never the URL), and a 401 answered by one token
 * refresh and one repeat. Retrying anything else is the caller's choice (`retryable` says whether
 * it is worth it).
 */
export function createAuthorizedFetch(request: ServerFetch, tokens: TokenSource): AuthorizedFetch {
  return async (path, init = {}, { resource, refresh = false } = {}) => {
    for (let refreshed = refresh; ; refreshed = true) {
      try {
        const token = await tokens.token(refreshed);
        const headers = { ...(init.headers as Record<string, string> | undefined), ...(token ? { authorization: `Bearer ${token}` } : {}) };
        return await request(path, { ...init, headers }, resource);
      } catch (error) {
        // `request` rejects with our errors only; anything else is the token source failing to answer.
        if (!AsyncTaskError.isInstance(error))
          throw new NetworkError({ message: `${init.method ?? 'GET'} ${path} failed`, code: 'network', cause: error });
        if (refreshed || error.status !== 401) throw error;
      }
    }
  };
}
