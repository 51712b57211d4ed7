import { startProcess, type StartedProcess } from '@app/test-support';
import { killOnExit } from './kill-on-exit.js';

/** What every n8n process of a test shares: its database, encryption key and workflow settings. */
export interface N8nSharedEnv {
  /** Extra variables: DB_TYPE / DB_POSTGRESDB_* for queue mode, WEBHOOK_SECRET, LLM_*, … */
  env: Record<string, string>;
  userFolder: string;
}

/**
 * The environment that keeps n8n local, quiet and offline, plus what the
 * chat-reply workflow needs: crypto in Code nodes and read access to its settings in `$env`.
 */
export function n8nEnv({ env, userFolder }: N8nSharedEnv, port: number, brokerPort: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    N8N_USER_FOLDER: userFolder,
    N8N_HOST: '127.0.0.1',
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_PORT: String(port),
    WEBHOOK_URL: `http://127.0.0.1:${port}/`,
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_HIRING_BANNER_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_DYNAMIC_BANNERS_ENABLED: 'false',
    N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    N8N_ENCRYPTION_KEY: 'async-chat-n8n-e2e-test-key',
    DB_TYPE: 'sqlite',
    DB_SQLITE_POOL_SIZE: '2',
    N8N_RUNNERS_ENABLED: 'true',
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    GENERIC_TIMEZONE: 'UTC',
    NODE_FUNCTION_ALLOW_BUILTIN: 'crypto',
    N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
    N8N_LOG_LEVEL: 'info',
    ...env,
  };
}

export interface N8nProcess extends StartedProcess {
  port: number;
}

/** Starts `n8n start` (or `n8n worker`) and resolves once it has activated its workflows. */
export async function startN8n(
  bin: string,
  shared: N8nSharedEnv,
  { port, brokerPort, role = 'main' }: { port: number; brokerPort: number; role?: 'main' | 'worker' },
): Promise<N8nProcess> {
  const env = n8nEnv(shared, port, brokerPort);
  if (role === 'worker') env.QUEUE_HEALTH_CHECK_PORT = String(port);
  const started = await startProcess(process.execPath, [bin, role === 'main' ? 'start' : 'worker'], {
    env,
    // Printed after "Activated workflow …" (main) / once the worker listens to the queue.
    ready: role === 'main' ? /Editor is now accessible via/ : /n8n worker is now ready|Worker ready/i,
    // Generous: on a loaded 2-core machine n8n has needed more than two minutes to boot.
    timeoutMs: 240_000,
  });
  return killOnExit(Object.assign(started, { port }));
}
