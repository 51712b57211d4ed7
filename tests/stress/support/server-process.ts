import { fileURLToPath } from 'node:url';
import { freePort, startProcess, type StartedProcess } from '@app/test-support';

export const serverDir = fileURLToPath(new URL('../../../packages/server', import.meta.url));
export const JWT_SECRET = 'stress-secret-stress-secret-stress-secret-0123';

/**
 * Rate limits raised for load: every simulated visitor comes from 127.0.0.1, so the per-IP limits
 * (60 sends, 30 sessions, 120 stream opens a minute, 50 open streams by default) would refuse
 * most of them.
 */
export const LOAD_RATE_LIMITS = {
  RATE_LIMIT_SEND_PER_VISITOR: '1000',
  RATE_LIMIT_SEND_PER_IP: '100000',
  RATE_LIMIT_SESSION_PER_IP: '100000',
  RATE_LIMIT_REFRESH_PER_IP: '100000',
  RATE_LIMIT_TASK_PER_VISITOR: '1000',
  RATE_LIMIT_TASK_PER_IP: '100000',
  RATE_LIMIT_RETRY_PER_VISITOR: '1000',
  RATE_LIMIT_RETRY_PER_IP: '100000',
  RATE_LIMIT_STREAM_PER_VISITOR: '1000',
  RATE_LIMIT_STREAM_PER_IP: '100000',
  MAX_STREAMS_PER_IP: '0',
};

export interface ServerProcess {
  baseUrl: string;
  port: number;
  process: StartedProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and environment. */
  restart(): Promise<void>;
  /** Null while running; otherwise how it ended and the last lines it printed. */
  exited(): string | null;
}

/**
 * The reference server as `pnpm start` runs it (src/main.ts, a child process) against PostgreSQL,
 * with the built-in runner calling the given OpenAI-compatible LLM.
 */
export async function startServerProcess({
  databaseUrl,
  llmUrl,
  env = {},
}: {
  databaseUrl: string;
  llmUrl: string;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const port = await freePort();
  const launch = () =>
    startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: serverDir,
      ready: /running at http/i,
      timeoutMs: 90_000,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        JWT_SECRET,
        LLM_BASE_URL: llmUrl,
        LLM_API_KEY: 'stress',
        RUNNER_POLL_INTERVAL_MS: '500',
        SWEEP_INTERVAL_MS: '1000',
        SHUTDOWN_GRACE_MS: '2000',
        LOG_LEVEL: 'warn',
        ...LOAD_RATE_LIMITS,
        ...env,
      },
    });
  const server: ServerProcess = {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    process: await launch(),
    stop: (signal) => server.process.stop(signal),
    restart: async () => {
      server.process = await launch();
    },
    exited: () => {
      const { child } = server.process;
      if (child.exitCode === null && child.signalCode === null) return null;
      return `exited with ${child.exitCode ?? child.signalCode}:\n${server.process.output().split('\n').slice(-30).join('\n')}`;
    },
  };
  return server;
}
