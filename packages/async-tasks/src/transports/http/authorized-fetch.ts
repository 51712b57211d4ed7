import type { TokenSource } from './anonymous-session.js';
import type { Environment } from './environment.js';

/**
 * `fetch` against the server as the current visitor. `refresh: true` asks for a fresh token first
 * (after the server's `expired` event).
 */
export type AuthorizedFetch = (path: string, init?: RequestInit, options?: { refresh?: boolean }) => Promise<Response>;

/**
 * The one way the HTTP transport reaches the server, for commands and streams alike: the token in
 * the `Authorization` header (never the URL), and a 401 answered by one token refresh and one
 * repeat. A second 401 is returned to the caller, which maps it to an `AuthError`.
 */
export function createAuthorizedFetch({
  baseUrl,
  env,
  tokens,
}: {
  baseUrl: string;
  env: Environment;
  tokens: TokenSource;
}): AuthorizedFetch {
  return async (path, init = {}, { refresh = false } = {}) => {
    for (let refreshed = refresh; ; refreshed = true) {
      const token = await tokens.token(refreshed);
      const res = await env.fetch(`${baseUrl}${path}`, {
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      if (res.status !== 401 || refreshed) return res;
      await res.body?.cancel().catch(() => {}); // the refused answer is not read; free its connection
    }
  };
}
