// Whether the install and each package's build are up to date, by content hashes of their inputs
// (and, for builds, of their outputs, so a build someone else made from other sources is not
// taken for ours).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { hashFiles, hashOf, sourceFiles, walkFiles } from './fingerprint.mjs';
import { buildOrder, workspacePackages } from './workspace.mjs';

// Tests, stories and their configs are read by test runners, not by a package's build.
const NOT_BUILD_INPUT = [
  /(^|\/)(test|tests|__tests__|\.storybook)\//,
  /\.(test|spec|stories)\.[cm]?[jt]sx?$/,
  /(^|\/)vitest\.[^/]*config\.[cm]?[jt]s$/,
];
const isBuildInput = (file) => !NOT_BUILD_INPUT.some((pattern) => pattern.test(file));

/** The install's inputs: the lockfile, the workspace and every manifest, pnpm's and Node's versions. */
export function installKey(repoRoot, pnpmVersion) {
  const manifests = workspacePackages(repoRoot).map((p) => `${p.dir}/package.json`);
  const files = ['pnpm-lock.yaml', 'pnpm-workspace.yaml', '.npmrc', 'package.json', ...manifests];
  return hashOf(hashFiles(repoRoot, files), pnpmVersion, process.versions.node.split('.')[0]);
}

/** Whether node_modules is there at all (a deleted one makes any stamp meaningless). */
export const isInstalled = (repoRoot) => existsSync(join(repoRoot, 'node_modules', '.modules.yaml'));

/**
 * The packages under packages/ that have a build, in build order, each with `key`: a hash of its
 * own build inputs, the shared ones (lockfile, root tsconfig) and the keys of the workspace
 * packages it builds on (those before it in the order, and source-only packages such as @app/db).
 */
export function buildTargets(repoRoot) {
  const order = buildOrder(workspacePackages(repoRoot));
  const position = new Map(order.map((p, i) => [p.name, i]));
  const byName = new Map(order.map((p) => [p.name, p]));
  const hasBuild = (p) => Boolean(p.manifest.scripts?.build);
  const shared = hashFiles(repoRoot, ['pnpm-lock.yaml', 'tsconfig.json']);
  const keys = new Map();
  const keyOf = (p, visiting = new Set()) => {
    if (keys.has(p.name)) return keys.get(p.name);
    visiting.add(p.name);
    const own = hashFiles(join(repoRoot, p.dir), sourceFiles(join(repoRoot, p.dir)).filter(isBuildInput));
    const deps = p.workspaceDeps
      .map((name) => byName.get(name))
      .filter((dep) => dep && !visiting.has(dep.name) && (!hasBuild(dep) || position.get(dep.name) < position.get(p.name)))
      .map((dep) => `${dep.name}=${keyOf(dep, new Set(visiting))}`);
    const key = hashOf(own, shared, ...deps);
    keys.set(p.name, key);
    return key;
  };
  return order.filter((p) => p.dir.startsWith('packages/') && hasBuild(p)).map((p) => ({ name: p.name, dir: p.dir, key: keyOf(p) }));
}

/** A hash of a package's build output (`dist/`), or null when there is none. */
export function outputHash(repoRoot, dir) {
  const dist = join(repoRoot, dir, 'dist');
  const files = walkFiles(dist, { skip: new Set() });
  return files.length ? hashFiles(dist, files) : null;
}

/** Why a target must be built again, or null when its stamp still holds. */
export function staleReason(repoRoot, target, stamp) {
  if (!stamp) return 'never built by npm start';
  if (stamp.inputs !== target.key) return 'sources changed';
  if (outputHash(repoRoot, target.dir) !== stamp.outputs) return 'dist/ missing or rebuilt from other sources';
  return null;
}
