import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess } from '@app/test-support';
import { BUNDLE_FILES, bundleCode } from './bundle-page.js';
import { startFakeLlm } from './fake-llm.js';

const serverDir = fileURLToPath(new URL('../../../server/', import.meta.url));

export interface WidgetServer {
  /** The server's origin, `http://127.0.0.1:<port>`; its demo page at `/` runs the built bundle. */
  base: string;
  /** The fake model the server's runner calls. */
  llm: Awaited<ReturnType<typeof startFakeLlm>>;
  stop(): Promise<void>;
}

/**
 * The reference server (real server, real database on PGlite in a folder of its own, the
 * server's own runner) serving the built script-tag bundle, with only the LLM faked at its HTTP
 * boundary.
 */
export async function startWidgetServer(): Promise<WidgetServer> {
  for (const file of BUNDLE_FILES) bundleCode(file); // fails early with a clear message when the bundle is not built
  const llm = await startFakeLlm(await freePort());
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-widget-server-'));
  const server = await startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    ready: /running at/,
    timeoutMs: 120_000,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LLM_API_KEY: 'test-key',
      LLM_BASE_URL: llm.url,
      LLM_MAX_RETRIES: '0',
      RUNNER_POLL_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
    },
  }).catch(async (error) => {
    await llm.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    base: `http://127.0.0.1:${port}`,
    llm,
    stop: async () => {
      await server.stop();
      await llm.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
