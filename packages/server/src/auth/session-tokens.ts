import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

export const ISSUER = 'async-chat';
/** Refresh tokens carry this audience, so no access-token check ever accepts one. */
const REFRESH_AUDIENCE = 'async-chat-refresh';

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** ISO time when the access token expires. */
  expiresAt: string;
  userId: string;
}

export interface SessionTokensOptions {
  secret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  now?: () => number;
}

/**
 * Issues anonymous visitor sessions: an HS256 access token shaped like a Supabase anonymous
 * sign-in (`role: authenticated`, `aud: authenticated`, `is_anonymous: true`) and a longer-lived
 * refresh token that only `refresh()` accepts.
 *
 * @example
 * const tokens = createSessionTokens({ secret, accessTtlSeconds: 3600, refreshTtlSeconds: 2592000 });
 * const session = await tokens.issue();
 */
export function createSessionTokens({ secret, accessTtlSeconds, refreshTtlSeconds, now = Date.now }: SessionTokensOptions) {
  const key = new TextEncoder().encode(secret);

  async function issue(userId: string = randomUUID()): Promise<Session> {
    const iat = Math.floor(now() / 1000);
    const exp = iat + accessTtlSeconds;
    const accessToken = await new SignJWT({ role: 'authenticated', is_anonymous: true, typ: 'access' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setAudience('authenticated')
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key);
    const refreshToken = await new SignJWT({ typ: 'refresh' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setAudience(REFRESH_AUDIENCE)
      .setIssuer(ISSUER)
      .setIssuedAt(iat)
      .setExpirationTime(iat + refreshTtlSeconds)
      .sign(key);
    return { accessToken, refreshToken, expiresAt: new Date(exp * 1000).toISOString(), userId };
  }

  /** A new session for the same user; null when the refresh token is invalid or expired. */
  async function refresh(refreshToken: string): Promise<Session | null> {
    try {
      const { payload } = await jwtVerify(refreshToken, key, {
        algorithms: ['HS256'],
        audience: REFRESH_AUDIENCE,
        issuer: ISSUER,
        currentDate: new Date(now()),
      });
      if (payload.typ !== 'refresh' || typeof payload.sub !== 'string') return null;
      return await issue(payload.sub);
    } catch {
      return null;
    }
  }

  return { issue, refresh };
}

export type SessionTokens = ReturnType<typeof createSessionTokens>;
