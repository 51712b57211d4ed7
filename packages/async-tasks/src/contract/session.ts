/**
 * Answer of `POST /api/session` and `POST /api/session/refresh`: an anonymous visitor's tokens.
 *
 * @example
 * const session: AnonymousSession = await (await fetch('/api/session', { method: 'POST' })).json();
 */
export interface AnonymousSession {
  accessToken: string;
  refreshToken: string;
  /** ISO date, or epoch seconds/ms. */
  expiresAt: string | number;
  userId: string;
}
