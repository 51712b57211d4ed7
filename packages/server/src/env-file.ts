import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Loads `.env` from `dir` (the current directory) into `process.env` when there is one, however
 * the server is started (`node dist/main.js`, the `async-chat-server` command, `pnpm dev`).
 * Variables already in the environment win, so a platform's settings are never overridden by a
 * stray file. `process.loadEnvFile` (Node ≥ 20.12) reads it; the `--env-file-if-exists` flag
 * would do the same but is newer on the 20.x line. Returns the file loaded, or null.
 *
 * @example
 * loadDotEnv(); // before loadConfig()
 */
export function loadDotEnv(dir: string = process.cwd()): string | null {
  const file = resolve(dir, '.env');
  if (!existsSync(file)) return null;
  process.loadEnvFile(file);
  return file;
}
