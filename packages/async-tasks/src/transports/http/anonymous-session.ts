import type { AnonymousSession } from '../../contract/index.js';
import { AsyncTaskError } from '../../errors/async-task-error.js';
import type { Environment } from './environment.js';
import type { ServerFetch } from './server-fetch.js';

/**
 * A host-provided token source (e.g. Supabase's access token); `forceRefresh` after a 401.
 *
 * @example
 * const getToken: GetToken = async ({ forceRefresh }) => (await auth.session({ refresh: forceRefresh })).accessToken;
 */
export type GetToken = (options: { forceRefresh: boolean }) => string | null | undefined | Promise<string | null | undefined>;

/** Refresh this long before the access token expires. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Who the transport is: the host's `getToken`, or an anonymous session created with
 * `POST /api/session`, kept in storage under a key per base URL, and refreshed before it expires
 * (or once after a 401). Concurrent callers share one in-flight request.
 */
export function createTokenSource({
  baseUrl,
  env,
  request,
  getToken,
}: {
  baseUrl: string;
  env: Environment;
  request: ServerFetch;
  getToken?: GetToken | undefined;
}) {
  const key = `async-tasks:session:${baseUrl}`;
  let memory: AnonymousSession | null = null;
  let inflight: Promise<AnonymousSession> | null = null;

  const load = (): AnonymousSession | null => {
    try {
      const raw = env.storage()?.getItem(key);
      if (raw) return JSON.parse(raw) as AnonymousSession;
    } catch {
      // unreadable storage: fall back to memory
    }
    return memory;
  };
  const save = (session: AnonymousSession) => {
    memory = session;
    try {
      env.storage()?.setItem(key, JSON.stringify(session));
    } catch {
      // quota or private mode: the in-memory copy still works for this page
    }
    return session;
  };

  const post = async (path: string, body: unknown): Promise<AnonymousSession> => {
    const res = await request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return save((await res.json()) as AnonymousSession);
  };

  const renew = async (current: AnonymousSession | null, force: boolean): Promise<AnonymousSession> => {
    // Another tab may have refreshed already; its session is in storage.
    const stored = load();
    if (stored && stored.accessToken !== current?.accessToken && !expiresSoon(stored)) return stored;
    try {
      if (current) return await post('/api/session/refresh', { refreshToken: current.refreshToken });
    } catch (error) {
      // A refresh token the server refuses (4xx) is dead: start a new anonymous session below.
      if (!AsyncTaskError.isInstance(error) || ![400, 401, 403].includes(error.status!)) {
        if (force) throw error;
        return current!; // not yet expired: keep using it, try again next time
      }
    }
    return post('/api/session', {});
  };

  const single = (work: () => Promise<AnonymousSession>) => {
    inflight ??= work().finally(() => {
      inflight = null;
    });
    return inflight;
  };

  return {
    /** A bearer token for the next request; `forceRefresh` after the server answered 401. */
    async token(forceRefresh = false): Promise<string | null> {
      if (getToken) return (await getToken({ forceRefresh })) ?? null;
      const current = load();
      if (current && !forceRefresh && !expiresSoon(current)) return current.accessToken;
      const session = await single(() => renew(current, forceRefresh || !current || expiresAtMs(current) <= Date.now()));
      return session.accessToken;
    },
  };
}

/** `expiresAt` as epoch ms (ISO string, epoch seconds or ms); NaN (never "soon") when unreadable. */
function expiresAtMs({ expiresAt }: AnonymousSession): number {
  return typeof expiresAt === 'number' ? (expiresAt < 1e12 ? expiresAt * 1000 : expiresAt) : Date.parse(expiresAt);
}
const expiresSoon = (session: AnonymousSession) => expiresAtMs(session) - Date.now() < REFRESH_MARGIN_MS;

export type TokenSource = ReturnType<typeof createTokenSource>;
