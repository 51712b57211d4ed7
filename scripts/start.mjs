// `npm start` / `pnpm start`: install, build, then run the reference server with the demo page
// on the embedded database (PGlite, kept in .data/ so a restart keeps conversations).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot, runPnpm } from './lib/run.mjs';

// `--serve-only` skips install and build (used by tests that restart an already built server).
const steps = process.argv.includes('--serve-only') ? [] : [['install'], ['--filter', './packages/*', 'build']];
for (const step of steps) {
  const code = runPnpm(step);
  if (code !== 0) process.exit(code);
}

// The server runs as our direct child, and signals are passed on, so a process manager's
// SIGTERM reaches it (and its graceful shutdown) instead of leaving it orphaned.
const server = spawn(process.execPath, [join(repoRoot, 'packages', 'server', 'dist', 'main.js')], {
  cwd: repoRoot,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
