import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess, type StartedProcess } from '@app/test-support';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface RunningProduct {
  url: string;
  dataDir: string;
  process: StartedProcess;
  /** Stops the server; the data folder is kept so a restart sees the same conversations. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port and data folder. */
  restart(): Promise<void>;
  /** Stops the server and deletes its data folder. */
  dispose(): Promise<void>;
}

/**
 * Starts the product through the README's first command (`node scripts/start.mjs`) on a free
 * port with a temporary data folder. `pnpm test` has just installed and built everything, so by
 * default the script's install and build steps are skipped (`--serve-only`); set
 * E2E_FULL_START=1 to run them too.
 */
export async function startProduct(env: Record<string, string> = {}): Promise<RunningProduct> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'async-chat-e2e-'));
  const launch = (...flags: string[]) =>
    startProcess(process.execPath, [join(repoRoot, 'scripts', 'start.mjs'), ...flags], {
      cwd: repoRoot,
      ready: /running at http/i,
      timeoutMs: process.env.E2E_FULL_START === '1' ? 400_000 : 90_000,
      env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, LLM_API_KEY: '', LOG_LEVEL: 'warn', ...env },
    });
  const product: RunningProduct = {
    url: `http://localhost:${port}`,
    dataDir,
    process: await launch(...(process.env.E2E_FULL_START === '1' ? [] : ['--serve-only'])),
    stop: (signal) => product.process.stop(signal),
    restart: async () => {
      product.process = await launch('--serve-only');
    },
    dispose: async () => {
      await product.process.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return product;
}
