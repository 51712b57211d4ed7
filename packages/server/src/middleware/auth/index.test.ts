import type { ErrorBody } from '@app/async-tasks/contract';
import { Hono } from 'hono';
import { describe, expect, it, vi } from 'vitest';
import { createAccessTokenVerifier } from '../../auth/access-token-verifier.js';
import { createSessionTokens } from '../../auth/session-tokens.js';
import { onError } from '../../http/on-error.js';
import { createLogger } from '../../logger.js';
import { type AuthEnv, requireCaller } from './index.js';

const secret = 'auth-middleware-test-secret-0123456789abcdef';
let clock = Date.parse('2026-12-01T12:00:00Z');
const now = () => clock;
const tokens = createSessionTokens({ secret, accessTtlSeconds: 60, refreshTtlSeconds: 3600, now });

/** An app with one protected route that says who called it; `handled` counts the calls that got through. */
function protectedApp() {
  const handled = vi.fn();
  const app = new Hono<AuthEnv>().use(requireCaller(createAccessTokenVerifier({ secret, now }))).get('/whoami', (c) => {
    handled();
    return c.json({ userId: c.get('caller').userId });
  });
  app.onError(onError(createLogger('silent')));
  return { app, handled };
}

const get = (app: Hono<AuthEnv>, headers: Record<string, string> = {}, path = '/whoami') => app.request(path, { headers });

async function expectRefused(res: Response, code: ErrorBody['error']['code'], challenge: string) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe(challenge);
  expect(((await res.json()) as ErrorBody).error.code).toBe(code);
}

describe('requireCaller', () => {
  it('hands the verified caller to the route', async () => {
    const { app } = protectedApp();
    const session = await tokens.issue();
    const res = await get(app, { authorization: `Bearer ${session.accessToken}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ userId: session.userId });
  });

  it('reads the scheme in any case', async () => {
    const { app } = protectedApp();
    const session = await tokens.issue();
    expect((await get(app, { authorization: `bearer ${session.accessToken}` })).status).toBe(200);
  });

  it('without a token answers 401 unauthorized with a Bearer challenge, and the route never runs', async () => {
    const { app, handled } = protectedApp();
    await expectRefused(await get(app), 'unauthorized', 'Bearer');
    expect(handled).not.toHaveBeenCalled();
  });

  it('never takes a token from the URL (it would end up in logs and browser history)', async () => {
    const { app, handled } = protectedApp();
    const { accessToken } = await tokens.issue();
    await expectRefused(await get(app, {}, `/whoami?access_token=${accessToken}`), 'unauthorized', 'Bearer');
    await expectRefused(await get(app, {}, `/whoami?token=${accessToken}`), 'unauthorized', 'Bearer');
    expect(handled).not.toHaveBeenCalled();
  });

  it('refuses another scheme or a malformed header as unauthorized', async () => {
    const { app, handled } = protectedApp();
    const { accessToken } = await tokens.issue();
    for (const authorization of [`Basic ${accessToken}`, 'Bearer', 'Bearer ', `Bearer ${accessToken} extra`, accessToken]) {
      await expectRefused(await get(app, { authorization }), 'unauthorized', 'Bearer');
    }
    expect(handled).not.toHaveBeenCalled();
  });

  it('answers 401 invalid_token (refresh and retry) for a token signed with another key, an expired one or a refresh token', async () => {
    const { app, handled } = protectedApp();
    const session = await tokens.issue();
    const challenge = 'Bearer error="invalid_token"';
    const forged = (await createSessionTokens({ secret: `${secret}-other`, accessTtlSeconds: 60, refreshTtlSeconds: 60, now }).issue())
      .accessToken;
    await expectRefused(await get(app, { authorization: `Bearer ${forged}` }), 'invalid_token', challenge);
    await expectRefused(await get(app, { authorization: `Bearer ${session.refreshToken}` }), 'invalid_token', challenge);
    clock += 61_000;
    await expectRefused(await get(app, { authorization: `Bearer ${session.accessToken}` }), 'invalid_token', challenge);
    expect(handled).not.toHaveBeenCalled();
  });
});
