import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { postgresAdminUrl } from '@app/test-support';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Builds the standalone server with the project's own script into a new folder under the
 * system's temporary folder (outside the repository), taking packages only from the local store
 * as the frozen lockfile pins them (`--offline`: anything else fails instead of downloading).
 */
export function buildArtifact(): { dir: string; output: string; remove(): void } {
  const parent = realpathSync(mkdtempSync(join(tmpdir(), 'async-chat-artifact-')));
  const dir = join(parent, 'server');
  const result = spawnSync(process.execPath, [join(repoRoot, 'packages', 'server', 'scripts', 'build-artifact.mjs'), dir, '--offline'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0) throw new Error(`build-artifact.mjs failed (${result.status}):\n${output}`);
  return { dir, output, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/** A throwaway database on the test PostgreSQL server (psql, as the suite's requirement check does). */
export function createThrowawayDatabase(): { url: string; query(sql: string): string; drop(): void } {
  const name = `artifact_${process.pid}_${Date.now()}`;
  const admin = postgresAdminUrl();
  execFileSync('psql', [admin, '-v', 'ON_ERROR_STOP=1', '-qc', `create database ${name}`]);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    query: (sql) => execFileSync('psql', [url.toString(), '-tAc', sql], { encoding: 'utf8' }).trim(),
    drop: () => execFileSync('psql', [admin, '-qc', `drop database if exists ${name} with (force)`]),
  };
}

/** A visitor's first chat message through the HTTP API; resolves with the assistant's reply. */
export async function chatOnce(baseUrl: string, content: string, timeoutMs = 60_000): Promise<string> {
  const api = async (path: string, init: RequestInit = {}, token?: string) => {
    const response = await fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });
    if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path} → ${response.status} ${await response.text()}`);
    return response.json();
  };
  const { accessToken } = await api('/api/session', { method: 'POST', body: '{}' });
  const sent = await api(
    '/api/chat/send',
    { method: 'POST', body: JSON.stringify({ content, idempotencyKey: `artifact-${Date.now()}` }) },
    accessToken,
  );
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const conversation = await api(`/api/conversations/${sent.conversationId}`, {}, accessToken);
    const reply = conversation.messages.find((m: { role: string }) => m.role === 'assistant');
    if (reply) return reply.content;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no reply within ${timeoutMs} ms`);
}

export interface GroupProcess {
  output: () => string;
  /** SIGTERM to the whole process group, then waits until every member is gone (SIGKILL after 10 s). */
  stop: () => Promise<void>;
}

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function stopGroup(pid: number) {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  for (let waited = 0; groupAlive(pid); waited += 100) {
    if (waited === 10_000) signal('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts a command in a process group of its own and resolves once its output matches `ready`.
 * `npx` and `npm start` run the server behind `sh -c`, which does not pass SIGTERM on: stopping
 * the group ends the server too, also when it never got ready.
 */
export function startGroup(
  command: string,
  args: string[],
  { cwd, env, ready, timeoutMs }: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp; timeoutMs: number },
): Promise<GroupProcess> {
  const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid as number;
  let log = '';
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      void stopGroup(pid).then(() => reject(new Error(`${command} ${reason}:\n${log}`)));
    };
    const timer = setTimeout(() => fail(`was not ready after ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (ready.test(log)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ output: () => log, stop: () => stopGroup(pid) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(`exited with ${code} before it was ready`));
  });
}
