import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess } from '@app/test-support';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface ExampleServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves a Vite example's production build with `vite preview`, whose proxy forwards /api and
 * /widget to `chatServerUrl` (the same config as `dev`). Builds the example first when it has no
 * build yet; CI builds them before the tests (`pnpm --filter "./examples/*" build`).
 */
export async function startVitePreview(example: 'react' | 'vue', chatServerUrl: string): Promise<ExampleServer> {
  const dir = join(repoRoot, 'examples', example);
  if (!existsSync(join(dir, 'dist', 'index.html'))) {
    execFileSync('pnpm', ['--filter', `@app/example-${example}`, 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const port = await freePort();
  const vite = await startProcess(
    process.execPath,
    [join(dir, 'node_modules', 'vite', 'bin', 'vite.js'), 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    { cwd: dir, ready: /Local:/, timeoutMs: 60_000, env: { ...process.env, CHAT_SERVER_URL: chatServerUrl } },
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => vite.stop() };
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.png': 'image/png',
};

/**
 * A tiny static server for the no-build script-tag example, on its own origin (so the widget
 * talks to the chat server cross-origin, as on a real site). `rewrite` maps text in HTML files,
 * e.g. the README's `http://localhost:8787` to the test server's URL.
 */
export async function startStaticServer(dir: string, rewrite: Record<string, string> = {}): Promise<ExampleServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let body: string | Buffer = readFileSync(file);
    if (extname(file) === '.html') {
      body = body.toString('utf8');
      for (const [from, to] of Object.entries(rewrite)) body = body.split(from).join(to);
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Serves the Next.js example's production build with `next start`; the pages read the chat
 * server's URL from CHAT_SERVER_URL when requested, so the build does not depend on it. Builds
 * first when there is no build yet (CI builds the examples before the tests).
 */
export async function startNextServer(chatServerUrl: string): Promise<ExampleServer> {
  const dir = join(repoRoot, 'examples', 'next');
  if (!existsSync(join(dir, '.next', 'BUILD_ID'))) {
    execFileSync('pnpm', ['--filter', '@app/example-next', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const port = await freePort();
  const next = await startProcess(
    process.execPath,
    [join(dir, 'node_modules', 'next', 'dist', 'bin', 'next'), 'start', '--hostname', '127.0.0.1', '--port', String(port)],
    {
      cwd: dir,
      ready: /Ready in/,
      timeoutMs: 60_000,
      env: { ...process.env, CHAT_SERVER_URL: chatServerUrl, NEXT_TELEMETRY_DISABLED: '1' },
    },
  );
  return { url: `http://127.0.0.1:${port}`, stop: () => next.stop() };
}
