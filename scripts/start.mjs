// `npm start` / `pnpm start`: install, build, then run the reference server with the demo page
// on the embedded database (PGlite, kept in .data/ so a restart keeps conversations).
//
// Install and build are skipped when nothing they read has changed since the last successful
// run (content hashes in .cache/start/stamps.json), so a second start is quick; only the packages
// whose sources (or whose workspace dependencies) changed are built again.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PNPM_VERSION, repoRoot, runPnpm } from './lib/run.mjs';
import { readStamps, writeStamps } from './lib/stamps.mjs';
import { buildTargets, installKey, isInstalled, outputHash, staleReason } from './lib/up-to-date.mjs';

const say = (message) => console.log(`[start] ${message}`);

// `--serve-only` skips install and build (used by tests that restart an already built server).
if (!process.argv.includes('--serve-only')) {
  const began = Date.now();
  const stamps = readStamps(repoRoot);

  const install = installKey(repoRoot, PNPM_VERSION);
  if (stamps.install !== install || !isInstalled(repoRoot)) {
    const why = !isInstalled(repoRoot)
      ? 'no node_modules yet'
      : stamps.install === null
        ? 'no install recorded by npm start yet'
        : 'pnpm-lock.yaml or a package.json changed';
    say(`Installing dependencies with pnpm ${PNPM_VERSION} (${why}) — a first install takes a few minutes…`);
    const code = runPnpm(['install']);
    if (code !== 0) process.exit(code);
    // The install may have rewritten the lockfile; stamp what is there now.
    stamps.install = installKey(repoRoot, PNPM_VERSION);
    writeStamps(repoRoot, stamps);
  }

  const targets = buildTargets(repoRoot);
  const stale = targets.map((t) => ({ ...t, why: staleReason(repoRoot, t, stamps.builds[t.name]) })).filter((t) => t.why);
  if (stale.length) {
    say(`Building ${stale.map((t) => `${t.name} (${t.why})`).join(', ')}…`);
    const code = runPnpm([...stale.flatMap((t) => ['--filter', t.name]), 'build']);
    if (code !== 0) process.exit(code);
    for (const target of stale) stamps.builds[target.name] = { inputs: target.key, outputs: outputHash(repoRoot, target.dir) };
    writeStamps(repoRoot, stamps);
  } else {
    say(`Dependencies and builds are up to date (checked in ${Date.now() - began} ms; .cache/start).`);
  }
  say('Starting the server…');
}

// The server runs as our direct child, and signals are passed on, so a process manager's
// SIGTERM reaches it (and its graceful shutdown) instead of leaving it orphaned. The command
// reads .env from here when there is one (the environment wins).
const server = spawn(process.execPath, [join(repoRoot, 'packages', 'server', 'scripts', 'async-chat-server.mjs')], {
  cwd: repoRoot,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
