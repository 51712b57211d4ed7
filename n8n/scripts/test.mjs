#!/usr/bin/env node
// `pnpm test:n8n` / `pnpm --filter @app/n8n test`: the n8n end-to-end tests (vitest project `n8n`).
// Installs n8n 1.110.1 into the cache on first use (~3.5-8 min cold), then ~3 min per run.
// When TEST_RESULTS_DIR is set (scripts/test.mjs at the root), writes {passed, failed, skipped}
// to $TEST_RESULTS_DIR/n8n.json for the suite's summary.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'async-chat-n8n-test-'));
const report = join(work, 'vitest.json');
const result = spawnSync(
  'pnpm',
  ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
if (process.env.TEST_RESULTS_DIR) {
  let counts = { passed: 0, failed: 1, skipped: 0 };
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    counts = {
      passed: json.numPassedTests ?? 0,
      failed: json.numFailedTests ?? 0,
      skipped: (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0),
    };
  } catch {}
  writeFileSync(join(process.env.TEST_RESULTS_DIR, 'n8n.json'), `${JSON.stringify(counts)}\n`);
}
rmSync(work, { recursive: true, force: true });
process.exit(result.status ?? 1);
