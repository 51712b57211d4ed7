import { errorFromResponse, type ResourceKind } from '../../errors/error-from-response.js';
import { NetworkError } from '../../errors/network-error.js';
import type { Environment } from './environment.js';

/**
 * A request to the server that resolves only with a successful answer: an error answer
 * (`{"error":{"code","message"}}`) rejects with its typed error, no answer with a `NetworkError`.
 * `resource` names what a 404 refers to.
 */
export type ServerFetch = (path: string, init?: RequestInit, resource?: ResourceKind) => Promise<Response>;

export function createServerFetch(baseUrl: string, env: Environment): ServerFetch {
  return async (path, init = {}, resource = 'other') => {
    let res: Response;
    try {
      res = await env.fetch(`${baseUrl}${path}`, init);
    } catch (cause) {
      throw new NetworkError({ message: `${init.method ?? 'GET'} ${path} failed`, code: 'network', cause });
    }
    if (!res.ok) throw errorFromResponse(res.status, await res.json().catch(() => null), resource);
    return res;
  };
}
