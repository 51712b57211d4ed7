import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTabChannel, resolveBroadcastChannel } from './tab-channel.js';

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const channel of open.splice(0)) channel.close();
});

describe('openTabChannel', () => {
  it('is off where there is no BroadcastChannel, or when the option says null', () => {
    expect(resolveBroadcastChannel(undefined)).toBe(globalThis.BroadcastChannel);
    expect(resolveBroadcastChannel(null)).toBeNull();
    expect(openTabChannel(null, 'x', () => {})).toBeNull();
  });

  it('carries typed messages to the other tabs on the same name, and ignores anything else', async () => {
    const name = `tabs-${Math.random()}`;
    const received = vi.fn();
    const here = openTabChannel<{ type: 'hi'; n: number }>(undefined, name, received)!;
    const other = new BroadcastChannel(name); // another tab; one sender, so its messages arrive in order
    open.push(here, other);
    other.postMessage('hello');
    other.postMessage({ no: 'type' });
    other.postMessage({ type: 'hi', n: 1 });
    await vi.waitFor(() => expect(received).toHaveBeenCalledWith({ type: 'hi', n: 1 }));
    expect(received).toHaveBeenCalledTimes(1);
  });
});
