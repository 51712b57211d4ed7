import { describe, expect, it, vi } from 'vitest';
import { retryWhileUnavailable } from './retry-while-unavailable.js';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const shuttingDown = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

describe('retryWhileUnavailable', () => {
  it('tries again while the database is unreachable and returns the first success', async () => {
    const call = vi.fn().mockRejectedValueOnce(refused()).mockRejectedValueOnce(shuttingDown()).mockResolvedValueOnce('saved');
    await expect(retryWhileUnavailable(call, { giveUp: () => false, firstDelayMs: 1 })).resolves.toBe('saved');
    expect(call).toHaveBeenCalledTimes(3);
  });

  it('does not retry an error the database answered (the query itself is wrong)', async () => {
    const uniqueViolation = Object.assign(new Error('duplicate key'), { code: '23505' });
    const call = vi.fn().mockRejectedValue(uniqueViolation);
    await expect(retryWhileUnavailable(call, { giveUp: () => false, firstDelayMs: 1 })).rejects.toBe(uniqueViolation);
    expect(call).toHaveBeenCalledOnce();
  });

  it('stops when told to give up and throws the last outage error', async () => {
    let tries = 0;
    const call = vi.fn(async () => {
      tries += 1;
      throw refused();
    });
    await expect(retryWhileUnavailable(call, { giveUp: () => tries >= 4, firstDelayMs: 1 })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(call).toHaveBeenCalledTimes(4);
  });
});
