// What `npm start` last did successfully, kept in .cache/start/stamps.json: the hash of the
// install's inputs, and for each built package the hashes of its build's inputs and outputs.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const stampsFile = (repoRoot) => join(repoRoot, '.cache', 'start', 'stamps.json');

export function readStamps(repoRoot) {
  try {
    const stamps = JSON.parse(readFileSync(stampsFile(repoRoot), 'utf8'));
    return { install: stamps.install ?? null, builds: stamps.builds ?? {} };
  } catch {
    return { install: null, builds: {} };
  }
}

/** Writes the stamps atomically (another `npm start` may be reading them). */
export function writeStamps(repoRoot, stamps) {
  const file = stampsFile(repoRoot);
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(stamps, null, 2)}\n`);
  renameSync(temporary, file);
}
