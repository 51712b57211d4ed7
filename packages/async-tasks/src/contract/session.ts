/** Answer of `POST /api/session` and `POST /api/session/refresh`: an anonymous visitor's tokens. */
export interface AnonymousSession {
  accessToken: string;
  refreshToken: string;
  /** ISO date, or epoch seconds/ms. */
  expiresAt: string | number;
  userId: string;
}
