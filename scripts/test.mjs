// `npm test` / `pnpm test`: the whole suite, in the order a failure is cheapest to find.
// Every step runs even when an earlier one failed (except after a failed install or build),
// and the closing lines sum up the tests of all runners.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runPnpm } from './lib/run.mjs';

const resultsDir = join(repoRoot, '.cache', 'test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const steps = [
  { name: 'install', args: ['install'], fatal: true },
  { name: 'build', args: ['--filter', './packages/*', 'build'], fatal: true },
  { name: 'build examples', args: ['--filter', './examples/*', 'build'], fatal: true },
  { name: 'lint and format (Biome)', args: ['run', 'lint'] },
  { name: 'typecheck', args: ['-r', '--workspace-concurrency=1', 'typecheck'] },
  { name: 'publint', args: ['run', 'publint'] },
  { name: 'size', args: ['-r', '--if-present', 'size'] },
  {
    name: 'vitest',
    args: ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(resultsDir, 'vitest.json')}`],
  },
  { name: 'database (pgTAP)', args: ['run', 'test:db'] },
  { name: 'n8n (real n8n 1.110.1)', args: ['run', 'test:n8n'] },
];

const outcomes = [];
for (const step of steps) {
  console.log(`\n━━━ ${step.name} ━━━`);
  const started = Date.now();
  const code = runPnpm(step.args, { env: { ...process.env, TEST_RESULTS_DIR: resultsDir } });
  outcomes.push({ name: step.name, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000) });
  if (code !== 0 && step.fatal) break;
}

// Test counts: vitest's JSON report, plus any runner that wrote {passed, failed, skipped} JSON.
const totals = { passed: 0, failed: 0, skipped: 0 };
const vitestReport = join(resultsDir, 'vitest.json');
if (existsSync(vitestReport)) {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}
for (const file of ['pgtap.json', 'n8n.json']) {
  const path = join(resultsDir, file);
  if (!existsSync(path)) continue;
  const counts = JSON.parse(readFileSync(path, 'utf8'));
  for (const key of Object.keys(totals)) totals[key] += counts[key] ?? 0;
}

console.log('\n━━━ summary ━━━');
for (const o of outcomes) console.log(`${o.ok ? 'ok  ' : 'FAIL'}  ${o.name} (${o.seconds} s)`);
const failedSteps = outcomes.filter((o) => !o.ok).length + (steps.length - outcomes.length);
console.log(`steps: ${outcomes.length - outcomes.filter((o) => !o.ok).length} passed, ${failedSteps} failed`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps === 0 && totals.failed === 0 ? 0 : 1);
