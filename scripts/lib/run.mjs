// Runs commands for the root scripts, finding pnpm whether we were started by npm or pnpm.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const PNPM_VERSION = '10.34.9';

const startedByPnpm = /pnpm/.test(process.env.npm_execpath ?? '');
const pnpmOnPath = () => spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).stdout?.trim() === PNPM_VERSION;

let chosen = null;

/** The command line that runs the pinned pnpm: the one that started us, a matching one on PATH, or npx. */
export function pnpmCommand() {
  if (chosen) return chosen;
  if (startedByPnpm) chosen = [process.execPath, [process.env.npm_execpath]];
  else if (pnpmOnPath()) chosen = ['pnpm', []];
  else {
    console.log(`pnpm ${PNPM_VERSION} is not on PATH: running it through npx (downloaded once)…`);
    chosen = ['npx', ['--yes', `pnpm@${PNPM_VERSION}`]];
  }
  return chosen;
}

/** Runs a command in the repo root with inherited output; returns its exit code. */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function runPnpm(args, options) {
  const [command, prefix] = pnpmCommand();
  return run(command, [...prefix, ...args], options);
}
