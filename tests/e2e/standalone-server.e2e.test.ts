import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { checkRequirement, freePort, requirements } from '@app/test-support';
import { buildArtifact, chatOnce, createThrowawayDatabase, type GroupProcess, repoRoot, startGroup } from './support/standalone.js';

// The operator's view: the server built into a folder of its own, far from the repository, and
// started the way docs/deploy.md says — on the embedded database and on PostgreSQL.
describe('the standalone server (packages/server/scripts/build-artifact.mjs)', () => {
  let artifact: ReturnType<typeof buildArtifact>;
  const running: GroupProcess[] = [];

  beforeAll(() => {
    artifact = buildArtifact();
  });

  afterAll(async () => {
    for (const server of running) await server.stop();
    artifact?.remove();
  });

  const start = async (command: string[], env: Record<string, string>) => {
    const port = await freePort();
    const server = await startGroup(command[0] as string, command.slice(1), {
      cwd: artifact.dir,
      ready: /running at http/i,
      timeoutMs: 120_000,
      // Only what a shell on a server would have: no variables of the repository's test run.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        DEMO_REPLY_DELAY_MS: '50',
        ...env,
      },
    });
    running.push(server);
    return { server, url: `http://127.0.0.1:${port}` };
  };

  const checkServing = async (url: string) => {
    expect(await (await fetch(`${url}/readyz`)).json()).toEqual({ ok: true });
    const page = await (await fetch(`${url}/`)).text();
    expect(page).toContain('src="/widget/chat-widget.js"');
    expect(page).not.toMatch(/pnpm build/);
    // The bundle and the panel chunk it loads from beside itself.
    for (const file of ['chat-widget.js', 'chat-widget-panel.js']) {
      const served = await fetch(`${url}/widget/${file}`);
      expect(served.status, file).toBe(200);
      expect(await served.text(), file).toBe(readFileSync(join(repoRoot, 'packages', 'chat-widget', 'dist', file), 'utf8'));
    }
    expect(await chatOnce(url, 'hello from the standalone server')).toMatch(/demo mode[\s\S]*hello from the standalone server/i);
  };

  test('is a folder outside the repository with the schema, the widget and only production dependencies', () => {
    expect(relative(repoRoot, artifact.dir).startsWith('..')).toBe(true);
    for (let dir = artifact.dir; dir !== dirname(dir); dir = dirname(dir)) {
      expect(existsSync(join(dir, 'pnpm-workspace.yaml')), `a workspace above ${artifact.dir}`).toBe(false);
    }
    for (const file of [
      'dist/main.js',
      'dist/chat-widget.js',
      'dist/chat-widget-panel.js',
      'supabase/shim/supabase-shim.sql',
      'scripts/async-chat-server.mjs',
      '.env.example',
    ]) {
      expect(existsSync(join(artifact.dir, file)), file).toBe(true);
    }
    expect(readdirSync(join(artifact.dir, 'supabase', 'migrations')).sort()).toEqual(
      readdirSync(join(repoRoot, 'supabase', 'migrations')).sort(),
    );
    const installed = readdirSync(join(artifact.dir, 'node_modules'));
    expect(installed).toContain('pg');
    for (const devOnly of ['@app', 'tsup', 'typescript', 'vitest', 'tsx']) expect(installed, devOnly).not.toContain(devOnly);
  });

  test('`npx async-chat-server` serves on the embedded database kept in the folder, with the shipped .env.example as .env', async () => {
    copyFileSync(join(artifact.dir, '.env.example'), join(artifact.dir, '.env'));
    const { server, url } = await start(['npx', '--no', 'async-chat-server'], {});
    await checkServing(url);
    expect(existsSync(join(artifact.dir, '.data', 'pglite'))).toBe(true);
    await server.stop();
  });

  test.runIf(checkRequirement(requirements.postgres))(
    'serves on PostgreSQL, configured from a .env file that the environment overrides',
    async () => {
      const database = createThrowawayDatabase();
      try {
        // LOG_LEVEL in the file is invalid: the server starts only because the environment's value wins.
        writeFileSync(
          join(artifact.dir, '.env'),
          `DATABASE_URL=${database.url}\nLOG_LEVEL=not-a-level\nNODE_ENV=production\nJWT_SECRET=${'s'.repeat(48)}\n`,
        );
        const { server, url } = await start([process.execPath, 'scripts/async-chat-server.mjs'], {});
        await checkServing(url);
        expect(Number(database.query('select count(*) from public.chat_messages'))).toBe(2);
        await server.stop();
      } finally {
        database.drop();
      }
    },
  );
});
