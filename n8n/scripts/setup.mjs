#!/usr/bin/env node
// Headless set-up of the async-chat workflows in an n8n that uses the same user folder / database
// as this process's environment (N8N_USER_FOLDER, DB_TYPE, DB_POSTGRESDB_*, N8N_ENCRYPTION_KEY, …):
// imports the two credentials (filled from the environment), imports both workflows and activates
// the chat-reply workflow. n8n must be STOPPED while this runs (the CLI writes n8n's database;
// a running instance would not pick up the activation) — start it afterwards.
//
//   WORKER_DATABASE_URL=postgres://n8n_worker:secret@db.example.com:5432/postgres?sslmode=require \
//   LLM_API_KEY=sk-or-… node n8n/scripts/setup.mjs [--n8n=/path/to/n8n/bin/n8n] [--no-activate]
//
// Without --n8n it uses `n8n` from PATH when present, else the cached install (install-n8n.mjs).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CHAT_REPLY_WORKFLOW_ID = 'AsyncChatReply01';
export const ERROR_HANDLER_WORKFLOW_ID = 'AsyncChatErrors1';
export const WEBHOOK_PATH = 'async-chat/chat-reply';

/**
 * The credentials template with the placeholders filled from a Postgres URL (the login role
 * granted async_worker) and the LLM API key.
 */
export function fillCredentials({ databaseUrl, llmApiKey }) {
  if (!databaseUrl) throw new Error('WORKER_DATABASE_URL is required (a login role granted async_worker)');
  const url = new URL(databaseUrl);
  if (!['postgres:', 'postgresql:'].includes(url.protocol)) throw new Error('WORKER_DATABASE_URL must be a postgres:// URL');
  const sslmode = url.searchParams.get('sslmode') ?? (['127.0.0.1', 'localhost', '::1'].includes(url.hostname) ? 'disable' : 'require');
  const ssl = {
    disable: 'disable',
    allow: 'allow',
    prefer: 'allow',
    require: 'require',
    'no-verify': 'require',
    'verify-ca': 'require',
    'verify-full': 'require',
  }[sslmode];
  if (!ssl) throw new Error(`unsupported sslmode "${sslmode}"`);
  const values = {
    __PG_HOST__: url.hostname,
    __PG_PORT__: Number(url.port || 5432),
    __PG_DATABASE__: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    __PG_USER__: decodeURIComponent(url.username),
    __PG_PASSWORD__: decodeURIComponent(url.password),
    __PG_SSL__: ssl,
    __PG_ALLOW_UNAUTHORIZED_CERTS__: sslmode === 'no-verify',
  };
  const template = JSON.parse(readFileSync(join(root, 'credentials.template.json'), 'utf8'));
  const fill = (value) => {
    if (typeof value !== 'string') return value;
    if (value in values) return values[value];
    return value.replace('__LLM_API_KEY__', llmApiKey || 'no-key-configured');
  };
  return template.map((credential) => ({
    ...credential,
    data: Object.fromEntries(Object.entries(credential.data).map(([k, v]) => [k, fill(v)])),
  }));
}

function defaultN8nCommand() {
  try {
    execFileSync('n8n', ['--version'], { stdio: 'ignore', timeout: 60_000 });
    return 'n8n';
  } catch {
    return null;
  }
}

function runN8n(bin, args, env, log) {
  const [command, prefix] = bin.endsWith('.js') || bin.endsWith('/bin/n8n') ? [process.execPath, [bin]] : [bin, []];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      log(`[n8n:setup] n8n ${args.join(' ')} → ${code}\n`);
      code === 0 ? resolve(output) : reject(new Error(`n8n ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
}

/**
 * Imports credentials and workflows into a (stopped) n8n and activates the chat-reply workflow.
 *
 * @example
 * await setupN8n({ bin, env: { ...process.env, N8N_USER_FOLDER: dir }, databaseUrl, llmApiKey: 'test' });
 */
export async function setupN8n({ bin, env = process.env, databaseUrl, llmApiKey, activate = true, log = (s) => process.stderr.write(s) }) {
  const work = mkdtempSync(join(tmpdir(), 'async-chat-n8n-setup-'));
  try {
    const credentialsFile = join(work, 'credentials.json');
    writeFileSync(credentialsFile, JSON.stringify(fillCredentials({ databaseUrl, llmApiKey })), { mode: 0o600 });
    const workflowsDir = join(work, 'workflows');
    mkdirSync(workflowsDir);
    for (const file of ['error-handler.json', 'chat-reply.json']) {
      copyFileSync(join(root, 'workflows', file), join(workflowsDir, file));
    }
    await runN8n(bin, ['import:credentials', `--input=${credentialsFile}`], env, log);
    await runN8n(bin, ['import:workflow', '--separate', `--input=${workflowsDir}`], env, log);
    if (activate) await runN8n(bin, ['update:workflow', `--id=${CHAT_REPLY_WORKFLOW_ID}`, '--active=true'], env, log);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  let bin = arg('n8n') ?? process.env.N8N_BIN ?? defaultN8nCommand();
  if (!bin) {
    const { ensureN8n } = await import('./install-n8n.mjs');
    bin = (await ensureN8n()).bin;
  }
  try {
    await setupN8n({
      bin,
      databaseUrl: process.env.WORKER_DATABASE_URL,
      llmApiKey: process.env.LLM_API_KEY,
      activate: !process.argv.includes('--no-activate'),
    });
    console.log(
      `Imported the credentials and workflows${process.argv.includes('--no-activate') ? '' : ' and activated the chat-reply workflow'}.\n` +
        `Start n8n with WEBHOOK_SECRET, LLM_BASE_URL, LLM_MODEL and NODE_FUNCTION_ALLOW_BUILTIN=crypto set; the server's\n` +
        `N8N_WEBHOOK_URL is <n8n base URL>/webhook/${WEBHOOK_PATH}`,
    );
  } catch (error) {
    console.error(`[n8n:setup] failed: ${error.message}`);
    process.exit(1);
  }
}
