// Content hashes of files, for deciding whether a step's inputs changed since it last ran.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

// Folders that hold what a build or an install writes, never what it reads.
const GENERATED = new Set(['node_modules', 'dist', 'coverage', 'storybook-static', '.cache', '.data', 'test-results', '.turbo']);

/** A sha256 over `parts` (strings), in order. */
export function hashOf(...parts) {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(String(part)).update('\0');
  return hash.digest('hex');
}

/** A sha256 over the names and contents of `files` (relative to `root`), whatever their order. */
export function hashFiles(root, files) {
  const hash = createHash('sha256');
  for (const file of [...files].sort()) {
    const path = join(root, file);
    hash.update(file).update('\0');
    hash.update(existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'missing').update('\0');
  }
  return hash.digest('hex');
}

/** Every file under `dir` (relative paths with `/`), outside the generated folders. */
export function walkFiles(dir, { skip = GENERATED } = {}) {
  if (!existsSync(dir)) return [];
  const files = [];
  const visit = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!skip.has(entry.name)) visit(join(folder, entry.name));
      } else if (entry.isFile()) {
        files.push(relative(dir, join(folder, entry.name)).split(sep).join('/'));
      }
    }
  };
  visit(dir);
  return files;
}

/**
 * The source files of a folder: what git tracks or would track there (untracked files that are
 * not ignored count too), or, outside a git checkout, every file outside the generated folders.
 */
export function sourceFiles(dir) {
  const git = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', '--', '.'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (git.status !== 0 || git.error) return walkFiles(dir);
  return git.stdout
    .split('\0')
    .filter(Boolean)
    .filter((file) => existsSync(join(dir, file)) && statSync(join(dir, file)).isFile());
}
