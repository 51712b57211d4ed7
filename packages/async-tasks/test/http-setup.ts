import { afterEach, beforeEach } from 'vitest';
import { createHttpTransport, type HttpTransportOptions } from '../src/transports/http/http-transport.js';
import { startContractServer, type ContractServer } from './contract-server.js';
import { memoryStorage } from './fixtures.js';

/** A controllable online/offline switch standing in for `window` + `navigator.onLine`. */
export function fakeNetwork() {
  const target = new EventTarget();
  let online = true;
  return {
    connectivity: target,
    isOnline: () => online,
    set(next: boolean) {
      online = next;
      target.dispatchEvent(new Event(next ? 'online' : 'offline'));
    },
  };
}

/** Starts a contract server per test and builds transports against it; everything is closed after. */
export function useContractServer() {
  const ctx = { server: null as unknown as ContractServer };
  const stops: Array<() => void> = [];
  beforeEach(async () => {
    ctx.server = await startContractServer();
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    await ctx.server.close();
  });
  return {
    get server() {
      return ctx.server;
    },
    transport(options: Partial<HttpTransportOptions> = {}) {
      const network = fakeNetwork();
      const storage = memoryStorage();
      const transport = createHttpTransport({
        baseUrl: ctx.server.baseUrl,
        storage,
        connectivity: network.connectivity,
        isOnline: network.isOnline,
        visibility: null,
        backoff: { baseMs: 10, capMs: 100 },
        ...options,
      });
      return { transport, network, storage };
    },
    /** Stops something when the test ends (a store listener, a session). */
    cleanup: (stop: () => void) => void stops.push(stop),
  };
}
