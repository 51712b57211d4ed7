import type { SystemRequirement } from '@app/test-support';
import { ensureN8n } from '../../scripts/install-n8n.mjs';

/**
 * Installs n8n 1.110.1 into the cache folder outside the workspace, or reuses it. Resolves to the
 * install or to the error (no registry access, no compiler for sqlite3, …) so the caller can skip
 * loudly or, under CI, fail through `checkRequirement`.
 */
export async function installN8n(): Promise<{ bin: string; requirement: SystemRequirement }> {
  const started = Date.now();
  const result = await ensureN8n({ log: () => undefined }).catch((error: Error) => error);
  if (!(result instanceof Error) && !result.reused) {
    console.info(`[n8n] installed n8n in ${Math.round((Date.now() - started) / 1000)} s at ${result.dir}`);
  }
  return {
    bin: result instanceof Error ? '' : result.bin,
    requirement: {
      name: 'n8n 1.110.1 (cached install outside the workspace)',
      available: () => !(result instanceof Error),
      install: `node n8n/scripts/install-n8n.mjs (needs the npm registry and g++/make/python3; ~3.5 min cold)${
        result instanceof Error ? ` — it failed: ${result.message.split('\n')[0]}` : ''
      }`,
    },
  };
}

/** Redis for queue mode. */
export const redisRequirement = (available: boolean): SystemRequirement => ({
  name: 'Redis on 127.0.0.1:6379 (n8n queue mode)',
  available: () => available,
  install: 'apt-get install -y redis-server (or run Redis on 127.0.0.1:6379)',
});
