import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAccessTokenVerifier } from './access-token-verifier.js';
import { createSessionTokens } from './session-tokens.js';

const SECRET = 'our-own-secret-our-own-secret-0123456789';
const SUPABASE_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';
const USER = '5f0c2a9e-3b1d-4c6e-8a7f-1d2e3f4a5b6c';

const hs256 = (secret: string, claims: Record<string, unknown>, exp = '1h') =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime(exp).sign(new TextEncoder().encode(secret));

describe('createAccessTokenVerifier', () => {
  it('accepts our session tokens', async () => {
    const session = await createSessionTokens({ secret: SECRET, accessTtlSeconds: 60, refreshTtlSeconds: 600 }).issue();
    const caller = await createAccessTokenVerifier({ secret: SECRET })(session.accessToken);
    expect(caller?.userId).toBe(session.userId);
    expect(caller?.claims.is_anonymous).toBe(true);
  });

  it('accepts a token a host backend minted with the shared secret', async () => {
    const token = await hs256(SECRET, { sub: USER, role: 'authenticated', aud: 'authenticated', email: 'a@b.c' });
    expect((await createAccessTokenVerifier({ secret: SECRET })(token))?.claims.email).toBe('a@b.c');
  });

  it('accepts Supabase Auth tokens signed with SUPABASE_JWT_SECRET only when configured', async () => {
    const token = await hs256(SUPABASE_SECRET, {
      sub: USER,
      role: 'authenticated',
      aud: 'authenticated',
      iss: 'https://x.supabase.co/auth/v1',
    });
    expect(await createAccessTokenVerifier({ secret: SECRET })(token)).toBeNull();
    expect((await createAccessTokenVerifier({ secret: SECRET, supabaseJwtSecret: SUPABASE_SECRET })(token))?.userId).toBe(USER);
  });

  it('accepts Supabase Auth tokens signed with asymmetric keys from SUPABASE_JWKS_URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/auth/v1/.well-known/jwks.json`;
      const token = await new SignJWT({ sub: USER, role: 'authenticated', aud: 'authenticated' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
      expect((await createAccessTokenVerifier({ secret: SECRET, supabaseJwksUrl: url })(token))?.userId).toBe(USER);
    } finally {
      server.close();
    }
  });

  it.each([
    ['an expired token', hs256(SECRET, { sub: USER, role: 'authenticated', aud: 'authenticated' }, '-1m')],
    ['the anon role', hs256(SECRET, { sub: USER, role: 'anon', aud: 'authenticated' })],
    ['another audience', hs256(SECRET, { sub: USER, role: 'authenticated', aud: 'other' })],
    ['a non-uuid subject', hs256(SECRET, { sub: 'admin', role: 'authenticated', aud: 'authenticated' })],
    ['a refresh token', hs256(SECRET, { sub: USER, role: 'authenticated', aud: 'authenticated', typ: 'refresh' })],
    [
      'alg none',
      Promise.resolve(
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: USER, role: 'authenticated', aud: 'authenticated', exp: 9999999999 })).toString('base64url')}.`,
      ),
    ],
  ])('rejects %s', async (_name, token) => {
    expect(await createAccessTokenVerifier({ secret: SECRET })(await token)).toBeNull();
  });
});
