// `pnpm test:db`: the pgTAP suite (supabase/tests, run by pg_prove on a throwaway database).
// Streams pg_prove's output and records its counts for the root test summary.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/run.mjs';

const child = spawn(process.execPath, [join(repoRoot, 'supabase', 'tests', 'run-pgtap.mjs')], {
  cwd: repoRoot,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
child.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
child.on('exit', (code) => {
  const total = Number(/Files=\d+, Tests=(\d+)/.exec(output)?.[1] ?? 0);
  const failed = [...output.matchAll(/Failed (\d+)\/\d+ subtests/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  if (process.env.TEST_RESULTS_DIR && total > 0) {
    writeFileSync(
      join(process.env.TEST_RESULTS_DIR, 'pgtap.json'),
      JSON.stringify({ passed: total - failed, failed: code === 0 ? failed : Math.max(failed, 1), skipped: 0 }),
    );
  }
  process.exit(code ?? 1);
});
