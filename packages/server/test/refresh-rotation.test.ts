import { createHttpTransport, type KeyValueStorage } from '@app/async-tasks';
import type { Database } from '@app/db';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFRESH_GRACE_SECONDS } from '../src/auth/refresh-families.js';
import { engines, testApp, type TestApp } from './support/test-app.js';

// Refresh tokens rotate on every refresh; a retired token presented again revokes its whole
// family, except within a short grace where it answers the same pair (two tabs of one visitor).
// The families live in the database: two app instances over one database stand for two servers.
describe.each(engines)('refresh-token rotation ($engine)', ({ open }) => {
  let db: Database;
  let one: TestApp;
  let two: TestApp;
  beforeAll(async () => {
    db = await open();
    one = await testApp(db);
    two = await testApp(db);
  });
  afterAll(() => db.close());

  const refresh = async (t: TestApp, refreshToken: string) => {
    const res = await t.request('/api/session/refresh', { method: 'POST', json: { refreshToken } });
    return { status: res.status, body: await res.json() };
  };
  /** Moves the family's last rotation past the grace, as if the second use came later. */
  const pastGrace = (refreshToken: string) =>
    db.query(`update app_internal.refresh_families set rotated_at = now() - make_interval(secs => $2) where id = $1`, [
      decodeJwt(refreshToken).fid,
      REFRESH_GRACE_SECONDS + 1,
    ]);

  it('every refresh answers a new refresh token, and the new one refreshes again', async () => {
    const v = await one.visitor();
    const first = await refresh(one, v.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.userId).toBe(v.userId);
    expect(decodeJwt(first.body.refreshToken).jti).not.toBe(decodeJwt(v.refreshToken).jti);
    const second = await refresh(two, first.body.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body.userId).toBe(v.userId);
  });

  it('a refresh token used again after the grace revokes its family: every token of it is then 401 on every instance', async () => {
    const v = await one.visitor();
    const rotated = await refresh(one, v.refreshToken);
    expect(rotated.status).toBe(200);
    await pastGrace(v.refreshToken);
    // Someone replays the stolen, retired token (through the other instance).
    const stolen = await refresh(two, v.refreshToken);
    expect(stolen).toEqual({
      status: 401,
      body: { error: { code: 'invalid_refresh_token', message: expect.stringMatching(/revoked/) } },
    });
    // The family is gone for the visitor's current token too, whichever instance it reaches.
    for (const t of [one, two]) expect((await refresh(t, rotated.body.refreshToken)).status).toBe(401);
  });

  it('the thief who refreshes first loses the family as soon as the visitor uses the token they both hold', async () => {
    const v = await one.visitor();
    const thief = await refresh(two, v.refreshToken);
    expect(thief.status).toBe(200);
    await pastGrace(v.refreshToken);
    expect((await refresh(one, v.refreshToken)).status).toBe(401);
    expect((await refresh(two, thief.body.refreshToken)).status).toBe(401);
  });

  it('two tabs refreshing with the same token at once (on two instances) both get the same new pair, and the family lives on', async () => {
    const v = await one.visitor();
    const [a, b] = await Promise.all([refresh(one, v.refreshToken), refresh(two, v.refreshToken)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.body).toEqual(a.body);
    const next = await refresh(one, a.body.refreshToken);
    expect(next.status).toBe(200);
    expect(next.body.userId).toBe(v.userId);
  });

  it('a retired token within the grace answers the pair already made, never a third one', async () => {
    const v = await one.visitor();
    const first = await refresh(one, v.refreshToken);
    const again = await refresh(two, v.refreshToken);
    expect(again).toEqual(first);
  });

  it("another visitor's token, a forged family and an access token are refused without touching the family", async () => {
    const v = await one.visitor();
    const other = await one.visitor();
    expect((await refresh(one, v.token)).status).toBe(401);
    expect((await refresh(one, `${other.refreshToken.slice(0, -2)}xx`)).status).toBe(401);
    expect((await refresh(one, v.refreshToken)).status).toBe(200);
  });

  it("two tabs of one visitor (the SDK's anonymous session, one storage) refreshing at once keep one visitor and one family", async () => {
    const t = await testApp(db, { ACCESS_TOKEN_TTL_SECONDS: '10' });
    // An access token within a minute of its expiry is refreshed before use: with a 10 s
    // lifetime, every request of either tab refreshes first.
    const stored = new Map<string, string>();
    const storage: KeyValueStorage = {
      getItem: (k) => stored.get(k) ?? null,
      setItem: (k, value) => void stored.set(k, value),
      removeItem: (k) => void stored.delete(k),
    };
    const paths: string[] = [];
    const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      paths.push(new URL(String(input)).pathname);
      return t.app.request(String(input), init);
    }) as typeof globalThis.fetch;
    const tab = () =>
      createHttpTransport({ baseUrl: 'http://server.test', fetch, storage, connectivity: null, visibility: null, isOnline: () => true });
    const [tabA, tabB] = [tab(), tab()];
    const task = { kind: 'tabs.work', input: {} };
    await tabA.createTask({ ...task, idempotencyKey: 'tab-a-0' });
    const session = () => JSON.parse([...stored.values()][0]!) as { userId: string; refreshToken: string };
    const visitor = session().userId;

    await Promise.all([tabA.createTask({ ...task, idempotencyKey: 'tab-a-1' }), tabB.createTask({ ...task, idempotencyKey: 'tab-b-1' })]);
    await Promise.all([tabB.createTask({ ...task, idempotencyKey: 'tab-b-2' }), tabA.createTask({ ...task, idempotencyKey: 'tab-a-2' })]);

    expect(paths.filter((p) => p === '/api/session')).toHaveLength(1);
    expect(paths.filter((p) => p === '/api/session/refresh').length).toBeGreaterThanOrEqual(2);
    expect(session().userId).toBe(visitor);
    // The stored refresh token is the family's current one: it refreshes.
    expect((await refresh(t, session().refreshToken)).status).toBe(200);
  });
});
