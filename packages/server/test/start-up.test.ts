import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startProcess } from '@app/test-support';

// The operator's view of a start: the entry point run as `node dist/main.js` would be, from a
// folder of the operator's own (with or without a `.env`), and what it prints.
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Only what a shell on a server would have, and the given settings. */
const environment = (env: Record<string, string>) => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env });

/** Runs the server to its end (a start that fails); resolves with its exit code and output. */
function runToExit(cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsx, main], { cwd, env: environment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

/** Started: both the log line and the console lines are out (two streams, in either order). */
const started = /^(?=[\s\S]*"msg":"server started")(?=[\s\S]*\n {2}metrics: .*\n)/;

/** The JSON log lines of an output (the console lines are left out). */
const logLines = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown> & { msg: string; level: number });

describe('starting the server', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'async-chat-start-up-'));
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reads .env from the current directory (the environment wins) and says what it runs with and how the first start goes', async () => {
    const dataDir = join(folder, 'from-dotenv');
    const port = await freePort();
    // The file's LOG_LEVEL is not a level: the server starts only because the environment's wins.
    writeFileSync(join(folder, '.env'), `DATA_DIR=${dataDir}\nLOG_LEVEL=not-a-level\nRUNNER_CONCURRENCY=3\n`);
    const server = await startProcess(process.execPath, ['--import', tsx, main], {
      cwd: folder,
      env: environment({ PORT: String(port), LOG_LEVEL: 'info' }),
      ready: started,
      timeoutMs: 120_000,
    });
    try {
      expect(await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()).toEqual({ ok: true });
    } finally {
      await server.stop();
    }
    const output = server.output();
    const lines = logLines(output);
    const messages = lines.map((line) => line.msg);

    // A fresh data folder: said before the slow part, then each migration as it runs and how long it took.
    expect(messages[0]).toBe(`creating the embedded database (PGlite) in ${dataDir}: the first start takes a while`);
    expect(messages).toContainEqual(expect.stringMatching(/^database open in \d+\.\d s$/));
    const applying = messages.filter((m) => m.startsWith('applying migration '));
    const applied = lines.filter((line) => /^migration \d+\/\d+ applied in \d+ ms$/.test(line.msg));
    expect(applying.length).toBeGreaterThan(0);
    expect(applying[0]).toMatch(/^applying migration 1\/\d+: \d{14}_\w+$/);
    expect(applied).toHaveLength(applying.length);
    expect(applied.every((line) => typeof line.ms === 'number' && typeof line.migration === 'string')).toBe(true);

    // What it runs with: the log line's fields and the console lines.
    expect(lines.find((line) => line.msg === 'server started')).toMatchObject({
      port,
      database: { engine: 'pglite', dataDir },
      llm: { mode: 'demo' },
      dispatch: { mode: 'runner', concurrency: 3 },
      corsOrigins: ['http://localhost:*', 'http://127.0.0.1:*'],
      metrics: 'off',
    });
    expect(output).toContain(`Async chat is running at http://localhost:${port}`);
    expect(output).toContain(`  database: PGlite (embedded, one process) in ${dataDir}`);
    expect(output).toContain('  LLM: demo mode (no LLM_API_KEY)');
    expect(output).toContain('  replies: built-in runner, up to 3 at a time');
    expect(output).toContain('  origins: http://localhost:*, http://127.0.0.1:*');
    expect(output).toContain('  metrics: off (set METRICS_TOKEN)');
    rmSync(join(folder, '.env'));
  });

  it('names the LLM host and model and the n8n webhook host, never a key, and warns that n8n cannot reach PGlite', async () => {
    const port = await freePort();
    const secret = 'w'.repeat(40);
    const server = await startProcess(process.execPath, ['--import', tsx, main], {
      cwd: folder,
      env: environment({
        PORT: String(port),
        DATA_DIR: join(folder, 'n8n-on-pglite'),
        N8N_WEBHOOK_URL: 'http://n8n.internal:5678/webhook/async-chat/chat-reply',
        WEBHOOK_SECRET: secret,
        LLM_BASE_URL: 'https://llm.example/api/v1',
        LLM_API_KEY: 'sk-the-key-never-logged',
        LLM_MODEL: 'vendor/model-7b',
        RUNNER_POLL_INTERVAL_MS: '3600000',
      }),
      ready: started,
      timeoutMs: 120_000,
    });
    await server.stop();
    const output = server.output();
    const lines = logLines(output);
    const warning = lines.find((line) => line.level === 40 && line.variable === 'DATABASE_URL');
    expect(warning?.msg).toMatch(/N8N_WEBHOOK_URL is set but the database is the embedded PGlite .* which n8n cannot reach/);
    expect(warning?.msg).toMatch(/Set DATABASE_URL to a PostgreSQL that both this server and n8n reach/);
    expect(lines.find((line) => line.msg === 'server started')).toMatchObject({
      llm: { mode: 'model', host: 'llm.example', model: 'vendor/model-7b', key: true },
      dispatch: { mode: 'n8n', webhookHost: 'n8n.internal:5678', relay: 'this server' },
    });
    expect(output).toContain('  LLM: vendor/model-7b at llm.example');
    expect(output).toContain('  replies: n8n at n8n.internal:5678, LLM relay reached at this server');
    expect(output).not.toContain('sk-the-key-never-logged');
    expect(output).not.toContain(secret);
  });

  it('an unreachable database stops the start naming DATABASE_URL and its host:port, never the password; a transaction pooler is warned about first', async () => {
    const { code, output } = await runToExit(folder, {
      PORT: '0',
      DATABASE_URL: 'postgres://app:pa55-w0rd-secret@127.0.0.1:6543/chat?pgbouncer=true',
    });
    expect(code).toBe(1);
    expect(output).toContain(
      'The server could not start: DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:6543 (database "chat", user "app"): connect ECONNREFUSED 127.0.0.1:6543 (connection refused)',
    );
    const warning = logLines(output).find((line) => line.level === 40);
    expect(warning).toMatchObject({ variable: 'DATABASE_URL' });
    expect(warning?.msg).toMatch(/^DATABASE_URL looks like a transaction-mode pooler \(127\.0\.0\.1:6543; port 6543 or pgbouncer=true\)/);
    expect(warning?.msg).toMatch(/session pooler \(port 5432\) or the direct connection/);
    expect(output).not.toContain('pa55-w0rd-secret');
  });
});
