#!/usr/bin/env node
// The server's command: `async-chat-server` (npx in the standalone folder), `npm start` there, the
// container's CMD, and `npm start` in the repository.
//
// 1. Reads `.env` from the current directory when there is one. Variables already set in the
//    environment win, so a platform's settings are never overridden by a stray file.
//    (process.loadEnvFile: Node ≥ 20.12, unlike the --env-file-if-exists flag.)
// 2. Points WIDGET_BUNDLE at the copy a standalone server carries (dist/chat-widget.js) unless it
//    is set; in the repository the server finds the chat-widget package's build itself.
// 3. Runs the server (dist/main.js) in this process, so signals reach its graceful shutdown.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const envFile = resolve('.env');
if (existsSync(envFile)) process.loadEnvFile(envFile);

if (!existsSync(new URL('../dist/main.js', import.meta.url))) {
  console.error('The server is not built: run `pnpm --filter @app/server build` (or `npm start` at the repository root).');
  process.exit(1);
}
const { serverFiles } = await import('../dist/workspace.js');
const files = serverFiles();
if (files.layout === 'standalone' && !process.env.WIDGET_BUNDLE?.trim()) process.env.WIDGET_BUNDLE = files.widgetBundle;

await import('../dist/main.js');
