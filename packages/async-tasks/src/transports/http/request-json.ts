import { backoffDelay, type BackoffOptions } from './backoff.js';
import { AsyncTaskError } from './errors/async-task-error.js';
import { errorFromResponse, type ResourceKind } from './errors/error-from-response.js';
import { NetworkError } from './errors/network-error.js';
import type { createAuth } from './http-auth.js';
import type { Environment } from './http-environment.js';

export interface RequestContext {
  baseUrl: string;
  env: Environment;
  auth: ReturnType<typeof createAuth>;
  /** Further attempts after a retryable failure (network, 5xx, 429). */
  retries: number;
  backoff: BackoffOptions;
}

/**
 * One JSON command against the server. A 401 refreshes the token once and repeats; 400/401/403/404
 * are never retried; network errors and 5xx/429 are retried with backoff while online. Safe for
 * POSTs because every command carries an idempotency key or is idempotent by nature.
 */
export async function requestJson<T>(
  ctx: RequestContext,
  method: 'GET' | 'POST',
  path: string,
  { body, resource = 'other' }: { body?: unknown; resource?: ResourceKind } = {},
): Promise<T> {
  let refreshed = false;
  for (let attempt = 0; ; attempt++) {
    let error: AsyncTaskError;
    try {
      const token = await ctx.auth.token(refreshed);
      const res = await ctx.env.fetch(`${ctx.baseUrl}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const json: unknown = await res.json().catch(() => null);
      if (res.ok) return json as T;
      if (res.status === 401 && !refreshed) {
        refreshed = true;
        attempt--; // the refresh is not a retry
        continue;
      }
      error = errorFromResponse(res.status, json, resource);
    } catch (cause) {
      error = AsyncTaskError.isInstance(cause) ? cause : new NetworkError({ message: `${method} ${path} failed`, code: 'network', cause });
    }
    if (!error.retryable || attempt >= ctx.retries || !ctx.env.isOnline()) throw error;
    await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, ctx.backoff)));
  }
}
