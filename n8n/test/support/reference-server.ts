import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { startProcess, type StartedProcess } from '@app/test-support';
import { killOnExit } from './kill-on-exit.js';

const serverDir = fileURLToPath(new URL('../../../packages/server/', import.meta.url));

export interface ReferenceServer extends StartedProcess {
  url: string;
}

/**
 * The reference server (packages/server, run from source with tsx) on the test database, dispatching
 * chat tasks to n8n; its LLM relay (which n8n's LLM node calls) streams from `llmBaseUrl`, the fake
 * LLM, with the credential n8n sends. Short poll and sweep intervals keep the test quick; nothing
 * else is special.
 */
export async function startReferenceServer({
  port,
  databaseUrl,
  n8nWebhookUrl,
  webhookSecret,
  llmBaseUrl,
  jwtSecret = randomBytes(24).toString('hex'),
}: {
  port: number;
  databaseUrl: string;
  n8nWebhookUrl: string;
  webhookSecret: string;
  llmBaseUrl: string;
  /** Replicas behind one load balancer share it, so a visitor's token works on each. */
  jwtSecret?: string;
}): Promise<ReferenceServer> {
  const started = await startProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      JWT_SECRET: jwtSecret,
      N8N_WEBHOOK_URL: n8nWebhookUrl,
      WEBHOOK_SECRET: webhookSecret,
      LLM_BASE_URL: llmBaseUrl,
      RUNNER_POLL_INTERVAL_MS: '250',
      SWEEP_INTERVAL_MS: '500',
      RATE_LIMIT_SEND_PER_VISITOR: '1000',
      RATE_LIMIT_SEND_PER_IP: '1000',
      LOG_LEVEL: 'info',
    },
    ready: /Async chat is running at/,
    timeoutMs: 90_000,
  });
  return killOnExit(Object.assign(started, { url: `http://127.0.0.1:${port}` }));
}
