import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Returns the secret stored in `file`, creating a random one on first use. Development only:
 * it lets `pnpm start` issue tokens that survive a restart without any setup. Several instances
 * must share one `JWT_SECRET` instead.
 *
 * @example
 * const secret = config.jwtSecret ?? persistedSecret(join(config.dataDir, 'server-jwt-secret'));
 */
export function persistedSecret(file: string): string {
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 32) return stored;
  }
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
