import type { AsyncTaskError } from '../../errors/async-task-error.js';
import type { ResourceKind } from '../../errors/error-from-response.js';
import { backoffDelay, type BackoffOptions } from '../../common/backoff.js';
import type { AuthorizedFetch } from './authorized-fetch.js';
import type { Environment } from './environment.js';

/** What commands and streams of one HTTP transport share. */
export interface RequestContext {
  env: Environment;
  fetch: AuthorizedFetch;
  /** Further attempts of a command after a retryable failure (network, 5xx, 429). */
  retries: number;
  backoff: BackoffOptions;
}

/**
 * One JSON command against the server. 400/401/403/404 are never retried (a 401 has already had
 * its token refresh in `fetch`); network errors and 5xx/429 are retried with backoff while online.
 * Safe for POSTs because every command carries an idempotency key or is idempotent by nature.
 */
export async function requestJson<T>(
  ctx: RequestContext,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  resource: ResourceKind,
  body?: unknown,
): Promise<T> {
  const init: RequestInit =
    body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await ctx.fetch(path, init, { resource });
      return (await res.json().catch(() => null)) as T;
    } catch (error) {
      // `fetch` rejects with AsyncTaskErrors only.
      if (!(error as AsyncTaskError).retryable || attempt >= ctx.retries || !ctx.env.isOnline()) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, ctx.backoff)));
  }
}
