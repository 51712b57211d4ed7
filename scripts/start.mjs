// `npm start` / `pnpm start`: install, build, then run the reference server with the demo page
// on the embedded database (PGlite, kept in .data/ so a restart keeps conversations).
import { runPnpm } from './lib/run.mjs';

// `--serve-only` skips install and build (used by tests that restart an already built server).
const steps = process.argv.includes('--serve-only') ? [] : [['install'], ['--filter', './packages/*', 'build']];
for (const step of steps) {
  const code = runPnpm(step);
  if (code !== 0) process.exit(code);
}
process.exit(runPnpm(['--filter', '@app/server', 'start']));
