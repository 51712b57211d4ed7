import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import type { RefreshFamilies } from './refresh-families.js';

export const ISSUER = 'async-chat';
/** Refresh tokens carry this audience, so no access-token check ever accepts one. */
const REFRESH_AUDIENCE = 'async-chat-refresh';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Session {
  accessToken: string;
  refreshToken: string;
  /** ISO time when the access token expires. */
  expiresAt: string;
  userId: string;
}

/** A refresh's answer: a session, or why none (`reused`: a retired token again, the family is revoked). */
export type RefreshResult = { session: Session } | { refused: 'invalid' | 'reused' };

export interface SessionTokensOptions {
  secret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  /**
   * Where refresh-token families live (the database for the server). Without it nothing is
   * recorded and every refresh is refused: enough for code that only needs access tokens.
   */
  families?: RefreshFamilies;
  now?: () => number;
}

/**
 * Issues anonymous visitor sessions: an HS256 access token shaped like a Supabase anonymous
 * sign-in (`role: authenticated`, `aud: authenticated`, `is_anonymous: true`) and a longer-lived
 * refresh token that only `refresh()` accepts. Every refresh rotates: it answers a new pair and
 * retires the token it was given (`families`); a retired token presented again revokes the whole
 * family, except within a short grace, where it answers the same pair again (two tabs).
 *
 * @example
 * const tokens = createSessionTokens({ secret, accessTtlSeconds: 3600, refreshTtlSeconds: 2592000, families });
 * const session = await tokens.issue();
 * const next = await tokens.refresh(session.refreshToken); // { session } or { refused }
 */
export function createSessionTokens({ secret, accessTtlSeconds, refreshTtlSeconds, families, now = Date.now }: SessionTokensOptions) {
  const key = new TextEncoder().encode(secret);

  /**
   * The pair of one family token, signed at `issuedAt`. HS256 over the same claims gives the same
   * bytes, so signing again with the stored token id and time answers exactly the same pair.
   */
  async function sign({ userId, family, token, issuedAt }: { userId: string; family: string; token: string; issuedAt: number }) {
    const exp = issuedAt + accessTtlSeconds;
    const accessToken = await new SignJWT({ role: 'authenticated', is_anonymous: true, typ: 'access' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setAudience('authenticated')
      .setIssuer(ISSUER)
      .setIssuedAt(issuedAt)
      .setExpirationTime(exp)
      .sign(key);
    const refreshToken = await new SignJWT({ typ: 'refresh', fid: family })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setAudience(REFRESH_AUDIENCE)
      .setIssuer(ISSUER)
      .setJti(token)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + refreshTtlSeconds)
      .sign(key);
    return { accessToken, refreshToken, expiresAt: new Date(exp * 1000).toISOString(), userId } satisfies Session;
  }

  const refreshExpiry = (issuedAt: number) => new Date((issuedAt + refreshTtlSeconds) * 1000);

  /** A new visitor (or `userId`) with a new family of refresh tokens. */
  async function issue(userId: string = randomUUID()): Promise<Session> {
    const family = randomUUID();
    const token = randomUUID();
    const issuedAt = Math.floor(now() / 1000);
    await families?.start({ family, userId, token, issuedAt, expiresAt: refreshExpiry(issuedAt) });
    return sign({ userId, family, token, issuedAt });
  }

  /** The refresh token's claims when it is ours, unexpired and of a family; null otherwise. */
  async function readRefreshToken(refreshToken: string) {
    try {
      const { payload } = await jwtVerify(refreshToken, key, {
        algorithms: ['HS256'],
        audience: REFRESH_AUDIENCE,
        issuer: ISSUER,
        currentDate: new Date(now()),
      });
      const { typ, sub, fid, jti } = payload;
      if (typ !== 'refresh' || typeof sub !== 'string' || typeof fid !== 'string' || typeof jti !== 'string') return null;
      if (![sub, fid, jti].every((id) => UUID.test(id))) return null;
      return { userId: sub, family: fid, token: jti };
    } catch {
      return null;
    }
  }

  /** The next session of the same user, rotating the refresh token. */
  async function refresh(refreshToken: string): Promise<RefreshResult> {
    const given = await readRefreshToken(refreshToken);
    if (!given || !families) return { refused: 'invalid' };
    const issuedAt = Math.floor(now() / 1000);
    const rotation = await families.rotate(given, { token: randomUUID(), issuedAt, expiresAt: refreshExpiry(issuedAt) });
    if (!('token' in rotation)) return { refused: rotation.outcome === 'reused' ? 'reused' : 'invalid' };
    return { session: await sign({ userId: given.userId, family: given.family, token: rotation.token, issuedAt: rotation.issuedAt }) };
  }

  return { issue, refresh };
}

export type SessionTokens = ReturnType<typeof createSessionTokens>;
