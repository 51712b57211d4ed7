import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('stays within [nominal/2, nominal] where nominal = min(cap, base * 2^attempt)', () => {
    fc.assert(
      fc.property(
        fc.nat(60),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 600_000 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, baseMs, capMs, r) => {
          const nominal = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
          const delay = backoffDelay(attempt, { baseMs, capMs, random: () => r });
          expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal / 2));
          expect(delay).toBeLessThanOrEqual(Math.ceil(nominal));
        },
      ),
    );
  });

  it('grows, then stops at the cap', () => {
    const top = (attempt: number) => backoffDelay(attempt, { baseMs: 100, capMs: 1000, random: () => 1 });
    expect([0, 1, 2, 3, 4, 10].map(top)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('uses jitter: the lowest draw is half the nominal delay', () => {
    expect(backoffDelay(3, { baseMs: 100, capMs: 10_000, random: () => 0 })).toBe(400);
  });

  it('treats negative and fractional attempts as whole attempts from 0', () => {
    expect(backoffDelay(-5, { baseMs: 100, random: () => 1 })).toBe(100);
    expect(backoffDelay(1.7, { baseMs: 100, random: () => 1 })).toBe(200);
  });
});
