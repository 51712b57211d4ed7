import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startServer, type RunningServer } from '@app/server';
import { freePort } from '@app/test-support';

/**
 * The real reference server (packages/server) on PGlite with its built-in runner in demo mode,
 * on a fixed port and data folder so it can be stopped and started again like a deploy.
 */
export async function startReferenceServer({ replyDelayMs = 600, env: extraEnv = {} as Record<string, string> } = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'async-tasks-e2e-'));
  const port = await freePort();
  const env = {
    JWT_SECRET: 'async-tasks-e2e-secret-async-tasks-e2e-secret',
    LOG_LEVEL: 'silent',
    PORT: String(port),
    DATA_DIR: dataDir,
    DEMO_REPLY_DELAY_MS: String(replyDelayMs),
    RUNNER_POLL_INTERVAL_MS: '50',
    SHUTDOWN_GRACE_MS: '500',
    RATE_LIMIT_SEND_PER_VISITOR: '1000',
    RATE_LIMIT_SEND_PER_IP: '1000',
    RATE_LIMIT_SESSION_PER_IP: '1000',
    ...extraEnv,
  };
  let server: RunningServer | null = await startServer(loadConfig(env));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    get db() {
      return server!.db;
    },
    async stop() {
      await server?.stop();
      server = null;
    },
    async start() {
      server ??= await startServer(loadConfig(env));
    },
    async close() {
      await server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A TCP proxy in front of a server whose connections the test can cut, as a flaky network would. */
export async function startCuttableProxy(targetPort: number) {
  const sockets = new Set<Socket>();
  const proxy = createServer((client) => {
    const upstream = createServerConnection(targetPort);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    /** Destroys every open connection (streams and idle keep-alive sockets alike). */
    cut() {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}

function createServerConnection(port: number): Socket {
  return connect(port, '127.0.0.1');
}
