import type { ErrorBody } from '@app/async-tasks/contract';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { onError } from '../../http/on-error.js';
import { createLogger } from '../../logger.js';
import { clientIp, ipKey } from './client-ip.js';
import { createMemoryRateLimiter } from './fixed-window.js';
import { type RateLimitRule, rateLimit } from './index.js';

/** An app whose one route is behind `rules`, on a clock the test moves. */
function limitedApp(rules: RateLimitRule[]) {
  const clock = { now: Date.parse('2026-12-01T12:00:00Z') };
  const app = new Hono().post('/send', rateLimit(rules, createMemoryRateLimiter({ now: () => clock.now })), (c) => c.json({ ok: true }));
  app.onError(onError(createLogger('silent')));
  const send = async (headers: Record<string, string> = {}) => app.request('/send', { method: 'POST', headers });
  return { send, clock };
}

const byVisitor = (limitPerMinute: number): RateLimitRule => ({
  name: 'visitor',
  limitPerMinute,
  key: (c) => c.req.header('x-visitor') ?? null,
});

async function statuses(send: () => Promise<Response>, n: number) {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send()).status);
  return out;
}

describe('rateLimit', () => {
  it('lets a key through up to its limit per minute, then answers 429 rate_limited with Retry-After until the window ends', async () => {
    const { send, clock } = limitedApp([byVisitor(2)]);
    const visitor = () => send({ 'x-visitor': 'v1' });
    expect(await statuses(visitor, 2)).toEqual([200, 200]);
    const refused = await visitor();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(((await refused.json()) as ErrorBody).error).toEqual({ code: 'rate_limited', message: 'too many requests; try again in 60 s' });

    clock.now += 45_000;
    expect((await visitor()).headers.get('retry-after')).toBe('15');
    clock.now += 15_000;
    expect(await statuses(visitor, 3)).toEqual([200, 200, 429]);
  });

  it('counts each key on its own', async () => {
    const { send } = limitedApp([byVisitor(1)]);
    expect((await send({ 'x-visitor': 'v1' })).status).toBe(200);
    expect((await send({ 'x-visitor': 'v1' })).status).toBe(429);
    expect((await send({ 'x-visitor': 'v2' })).status).toBe(200);
  });

  it('skips a rule whose key is null for the request', async () => {
    const { send } = limitedApp([byVisitor(1)]);
    expect(await statuses(() => send(), 5)).toEqual([200, 200, 200, 200, 200]);
  });

  it('refuses when any one rule is over its limit', async () => {
    const { send } = limitedApp([byVisitor(5), { name: 'everyone', limitPerMinute: 2, key: () => 'all' }]);
    expect((await send({ 'x-visitor': 'v1' })).status).toBe(200);
    expect((await send({ 'x-visitor': 'v2' })).status).toBe(200);
    expect((await send({ 'x-visitor': 'v3' })).status).toBe(429);
  });

  it('a limit of 0 turns the rule off', async () => {
    const { send } = limitedApp([byVisitor(0)]);
    expect(await statuses(() => send({ 'x-visitor': 'v1' }), 5)).toEqual([200, 200, 200, 200, 200]);
  });

  describe('keyed by client IP', () => {
    const byIp = (trustProxy: boolean): RateLimitRule => ({ name: 'ip', limitPerMinute: 1, key: (c) => clientIp(c, trustProxy) });

    it('behind a trusted proxy, counts the last X-Forwarded-For hop (the one the proxy appended)', async () => {
      const { send } = limitedApp([byIp(true)]);
      expect((await send({ 'x-forwarded-for': '203.0.113.7, 198.51.100.1' })).status).toBe(200);
      // The client forged a different first hop: same proxy-appended address, same counter.
      expect((await send({ 'x-forwarded-for': '192.0.2.99, 198.51.100.1' })).status).toBe(429);
      expect((await send({ 'x-forwarded-for': '203.0.113.7, 198.51.100.2' })).status).toBe(200);
    });

    it('without a trusted proxy, ignores X-Forwarded-For (a client cannot pick its own counter)', async () => {
      const { send } = limitedApp([byIp(false)]);
      expect((await send({ 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
      expect((await send({ 'x-forwarded-for': '198.51.100.2' })).status).toBe(429);
    });
  });
});

describe('ipKey', () => {
  it('counts IPv4 as it is, also when written IPv4-mapped', () => {
    expect(ipKey('203.0.113.7')).toBe('203.0.113.7');
    expect(ipKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 by its /64: a subscriber cannot take a fresh counter with each of its addresses', () => {
    expect(ipKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:0db8:0001:0002:ffff::1')).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(ipKey('::1')).toBe('0:0:0:0::/64');
    expect(ipKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });

  it('keeps anything else, at most 100 characters', () => {
    expect(ipKey('unknown')).toBe('unknown');
    expect(ipKey('x'.repeat(500))).toBe('x'.repeat(100));
  });
});
