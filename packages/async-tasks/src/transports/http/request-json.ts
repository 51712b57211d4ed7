import { AsyncTaskError } from '../../errors/async-task-error.js';
import { errorFromResponse, type ResourceKind } from '../../errors/error-from-response.js';
import { NetworkError } from '../../errors/network-error.js';
import { backoffDelay, type BackoffOptions } from '../../shared/backoff.js';
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
  method: 'GET' | 'POST',
  path: string,
  { body, resource = 'other' }: { body?: unknown; resource?: ResourceKind } = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    let error: AsyncTaskError;
    try {
      const res = await ctx.fetch(path, {
        method,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      });
      const json: unknown = await res.json().catch(() => null);
      if (res.ok) return json as T;
      error = errorFromResponse(res.status, json, resource);
    } catch (cause) {
      error = AsyncTaskError.isInstance(cause) ? cause : new NetworkError({ message: `${method} ${path} failed`, code: 'network', cause });
    }
    if (!error.retryable || attempt >= ctx.retries || !ctx.env.isOnline()) throw error;
    await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, ctx.backoff)));
  }
}
