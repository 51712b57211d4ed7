// The workspace's packages as `npm start` needs them: where they are, what they depend on, and
// an order in which each is built after the packages it consumes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folders listed in pnpm-workspace.yaml (`dir` and `dir/*` entries). */
export function workspaceFolders(repoRoot) {
  const yaml = readFileSync(join(repoRoot, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [...yaml.matchAll(/^\s*-\s*['"]?([^'"\s#]+)['"]?/gm)].map((m) => m[1]);
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [glob];
    const parent = glob.slice(0, -2);
    if (!existsSync(join(repoRoot, parent))) return [];
    return readdirSync(join(repoRoot, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
}

/** Every workspace package: `{ name, dir (relative), manifest, workspaceDeps }`. */
export function workspacePackages(repoRoot) {
  const packages = workspaceFolders(repoRoot)
    .filter((dir) => existsSync(join(repoRoot, dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) }));
  const names = new Set(packages.map((p) => p.manifest.name));
  return packages.map(({ dir, manifest }) => {
    const declared = { ...manifest.peerDependencies, ...manifest.devDependencies, ...manifest.dependencies };
    return {
      name: manifest.name,
      dir,
      manifest,
      workspaceDeps: Object.keys(declared)
        .filter((dep) => names.has(dep))
        .sort(),
    };
  });
}

/**
 * The packages in build order: each after its workspace dependencies. Dependency cycles (a
 * package's tests using another that builds on it) are broken by name, as pnpm sorts them; the
 * edge that closes the cycle is not a build input (see buildKeys).
 */
export function buildOrder(packages) {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const done = new Set();
  const order = [];
  const pending = [...packages].sort((a, b) => a.name.localeCompare(b.name));
  while (pending.length) {
    const ready = pending.find((p) => p.workspaceDeps.every((dep) => done.has(dep) || !byName.has(dep))) ?? pending[0];
    pending.splice(pending.indexOf(ready), 1);
    done.add(ready.name);
    order.push(ready);
  }
  return order;
}
