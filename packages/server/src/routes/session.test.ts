import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import type { Database } from '@app/db';
import { memoryDatabase, testApp, type TestApp } from '../../test/support/test-app.js';

let db: Database;
let t: TestApp;
beforeAll(async () => {
  db = await memoryDatabase();
  t = await testApp(db);
});
afterAll(() => db.close());

describe('POST /api/session', () => {
  it('issues an anonymous visitor token shaped like a Supabase anonymous sign-in', async () => {
    const res = await t.request('/api/session', { method: 'POST', json: {} });
    expect(res.status).toBe(201);
    const body = await res.json();
    const claims = decodeJwt(body.accessToken);
    expect(claims).toMatchObject({ sub: body.userId, role: 'authenticated', aud: 'authenticated', is_anonymous: true });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(new Date(body.expiresAt).getTime()).toBe(claims.exp! * 1000);
  });

  it('gives every session a new user', async () => {
    const [a, b] = await Promise.all([t.visitor(), t.visitor()]);
    expect(a.userId).not.toBe(b.userId);
  });

  it('rejects unknown fields', async () => {
    const res = await t.request('/api/session', { method: 'POST', json: { admin: true } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_input', message: 'unknown field: admin' } });
  });
});

describe('POST /api/session/refresh', () => {
  it('returns a new access token for the same user', async () => {
    const v = await t.visitor();
    const res = await t.request('/api/session/refresh', { method: 'POST', json: { refreshToken: v.refreshToken } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.userId).toBe(v.userId);
    expect(decodeJwt(body.accessToken).sub).toBe(v.userId);
  });

  it('refuses an access token as a refresh token, and a refresh token as an access token', async () => {
    const v = await t.visitor();
    const asRefresh = await t.request('/api/session/refresh', { method: 'POST', json: { refreshToken: v.token } });
    expect(asRefresh.status).toBe(401);
    expect((await asRefresh.json()).error.code).toBe('invalid_refresh_token');
    const asAccess = await t.request('/api/tasks/00000000-0000-4000-8000-000000000000', { token: v.refreshToken });
    expect(asAccess.status).toBe(401);
    expect((await asAccess.json()).error.code).toBe('invalid_token');
  });

  it('answers 400 when refreshToken is missing', async () => {
    const res = await t.request('/api/session/refresh', { method: 'POST', json: {} });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/refreshToken/);
  });
});

describe('the session limits', () => {
  /** An app whose rate limits are counted by `decide`, recording every count it is asked for. */
  async function appCountedBy(decide: (key: string) => number | null) {
    const hits: Array<{ key: string; limit: number }> = [];
    const limited = await testApp(
      db,
      { RATE_LIMIT_SESSION_PER_IP: '2', RATE_LIMIT_REFRESH_PER_IP: '3' },
      {
        rateLimiter: {
          async hit(batch) {
            hits.push(...batch.map(({ key, limit }) => ({ key, limit })));
            return batch.map((h) => decide(h.key)).find((wait) => wait !== null) ?? null;
          },
        },
      },
    );
    return { limited, hits };
  }

  it('are counted by the shared limiter alone, once per request: none in process memory', async () => {
    // The shared limiter lets everything through: past RATE_LIMIT_SESSION_PER_IP nothing else refuses.
    const { limited, hits } = await appCountedBy(() => null);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await limited.request('/api/session', { method: 'POST' })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    expect(hits).toEqual(Array.from({ length: 5 }, () => ({ key: 'session-ip:unknown', limit: 2 })));
  });

  it('answer 429 rate_limited with Retry-After when the shared limiter refuses', async () => {
    const { limited, hits } = await appCountedBy((key) => (key.startsWith('refresh-ip:') ? 7 : null));
    const v = await limited.visitor();
    const refused = await limited.request('/api/session/refresh', { method: 'POST', json: { refreshToken: v.refreshToken } });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect((await refused.json()).error.code).toBe('rate_limited');
    expect(hits.map((h) => h.key)).toEqual(['session-ip:unknown', 'refresh-ip:unknown']);
    expect(hits[1]?.limit).toBe(3);
  });
});
