#!/usr/bin/env node
// Builds the standalone server into a folder: the server bundle with only its production
// dependencies (`pnpm deploy --prod`, from the frozen lockfile), the widget's script-tag bundle
// and the schema, so it runs anywhere Node ≥ 20.19 runs, with no repository around it.
//
//   node packages/server/scripts/build-artifact.mjs <out-dir> [--offline]
//
// Run it after the packages are built (`pnpm build`, or `npm start` once). `--offline` takes
// every package from the local store and fails instead of downloading.
//
// The folder:
//   package.json, pnpm-lock.yaml     the server's manifest and its pruned lockfile
//   node_modules/                    production dependencies only
//   dist/main.js, dist/workspace.js  the server (workspace packages bundled in)
//   dist/chat-widget.js              the widget bundle served at /widget/chat-widget.js
//   dist/chat-widget-panel.js        the chunk it loads from beside itself (/widget/chat-widget-panel.js)
//   supabase/shim, supabase/migrations   the schema applied at start
//   scripts/async-chat-server.mjs    the command (the package's bin: `npx async-chat-server` in the folder)
//   .env.example                     every setting with its default (copy to .env to change them)
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot, runPnpm } from '../../../scripts/lib/run.mjs';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const outArg = args.find((arg) => !arg.startsWith('--'));
if (!outArg) {
  console.error('usage: build-artifact.mjs <out-dir> [--offline]');
  process.exit(2);
}
const out = resolve(outArg);
if (existsSync(out) && readdirSync(out).length > 0) {
  console.error(`${out} is not empty: give a new or empty folder.`);
  process.exit(2);
}

const inputs = {
  server: join(serverDir, 'dist', 'main.js'),
  locator: join(serverDir, 'dist', 'workspace.js'),
  widget: join(repoRoot, 'packages', 'chat-widget', 'dist', 'chat-widget.js'),
  widgetPanel: join(repoRoot, 'packages', 'chat-widget', 'dist', 'chat-widget-panel.js'),
  shim: join(repoRoot, 'supabase', 'shim'),
  migrations: join(repoRoot, 'supabase', 'migrations'),
  settings: join(repoRoot, '.env.example'),
};
const missing = Object.values(inputs).filter((path) => !existsSync(path));
if (missing.length) {
  console.error(`Missing build outputs — run \`pnpm build\` first:\n  ${missing.map((p) => relative(repoRoot, p)).join('\n  ')}`);
  process.exit(1);
}

// pnpm 10 deploys from the lockfile only with injected workspace packages; the server bundles
// its workspace packages, so none of them ends up in the folder either way.
console.log(`Deploying @app/server with its production dependencies into ${out} …`);
const deploy = runPnpm([
  '--config.inject-workspace-packages=true',
  '--filter',
  '@app/server',
  'deploy',
  '--prod',
  '--frozen-lockfile',
  ...(args.includes('--offline') ? ['--offline'] : []),
  out,
]);
if (deploy !== 0) process.exit(deploy);

for (const file of [inputs.widget, inputs.widgetPanel]) {
  const name = basename(file);
  cpSync(file, join(out, 'dist', name));
  if (existsSync(`${file}.map`)) cpSync(`${file}.map`, join(out, 'dist', `${name}.map`));
}
mkdirSync(join(out, 'supabase'), { recursive: true });
cpSync(inputs.shim, join(out, 'supabase', 'shim'), { recursive: true });
cpSync(inputs.migrations, join(out, 'supabase', 'migrations'), { recursive: true });
cpSync(inputs.settings, join(out, '.env.example'));

const shown = isAbsolute(outArg) ? out : outArg;
console.log(`Standalone server ready. Start it with:\n  cd ${shown} && npx async-chat-server`);
