import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The verified caller, with the claims handed to the database as `request.jwt.claims`. */
export interface Caller {
  userId: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  claims: JWTPayload & { sub: string; role: string };
}

export interface VerifierOptions {
  /** Our own secret: tokens from `POST /api/session` and those a host backend mints with it. */
  secret: string;
  supabaseJwtSecret?: string | null;
  supabaseJwksUrl?: string | null;
  now?: () => number;
}

/**
 * Verifies access tokens: ours (HS256 with `JWT_SECRET`), and Supabase Auth's when configured
 * (HS256 with `SUPABASE_JWT_SECRET`, or asymmetric keys from `SUPABASE_JWKS_URL`). Every accepted
 * token has `aud: authenticated`, `role: authenticated`, a uuid `sub` and an expiry; refresh
 * tokens never pass.
 *
 * @example
 * const verify = createAccessTokenVerifier({ secret });
 * const caller = await verify(token); // null when invalid
 */
export function createAccessTokenVerifier({ secret, supabaseJwtSecret, supabaseJwksUrl, now = Date.now }: VerifierOptions) {
  const keys: Array<{ key: Uint8Array | JWTVerifyGetKey; algorithms: string[] }> = [
    { key: new TextEncoder().encode(secret), algorithms: ['HS256'] },
  ];
  if (supabaseJwtSecret) keys.push({ key: new TextEncoder().encode(supabaseJwtSecret), algorithms: ['HS256'] });
  if (supabaseJwksUrl) keys.push({ key: createRemoteJWKSet(new URL(supabaseJwksUrl)), algorithms: ['RS256', 'ES256', 'EdDSA'] });

  return async function verify(token: string): Promise<Caller | null> {
    for (const { key, algorithms } of keys) {
      try {
        const { payload } = await jwtVerify(token, key as Uint8Array, {
          algorithms,
          audience: 'authenticated',
          currentDate: new Date(now()),
          requiredClaims: ['sub', 'exp'],
        });
        if (payload.typ === 'refresh' || payload.role !== 'authenticated') return null;
        if (typeof payload.sub !== 'string' || !UUID.test(payload.sub)) return null;
        return {
          userId: payload.sub,
          expiresAt: payload.exp!,
          claims: payload as Caller['claims'],
        };
      } catch {
        // try the next key
      }
    }
    return null;
  };
}

export type AccessTokenVerifier = ReturnType<typeof createAccessTokenVerifier>;
