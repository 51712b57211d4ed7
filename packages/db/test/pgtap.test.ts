import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkRequirement, requirements } from '@app/test-support';
import { describe, expect, it } from 'vitest';

// The pgTAP suite (supabase/tests/*.sql) through its runner, so `vitest --project db` covers it too.
const runner = fileURLToPath(new URL('../../../supabase/tests/run-pgtap.mjs', import.meta.url));

describe.skipIf(!(checkRequirement(requirements.postgres) && checkRequirement(requirements.pgtap)))('pgTAP suite', () => {
  it('passes every pgTAP test under pg_prove on a throwaway database', () => {
    const result = spawnSync(process.execPath, [runner], { encoding: 'utf8', timeout: 600_000 });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(output, output).toContain('All tests successful.');
    expect(result.status, output).toBe(0);
  });
});
