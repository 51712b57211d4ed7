#!/usr/bin/env node
// The server's command: `async-chat-server` (npx in the standalone folder), `npm start` there, the
// container's CMD, and `npm start` in the repository. It runs the server (dist/main.js) in this
// process, so signals reach its graceful shutdown. The server itself reads `.env` from the current
// directory (the environment wins) and finds its files — the widget bundle, the schema, the data
// folder — in the repository or in the standalone folder, however it is started.
import { existsSync } from 'node:fs';

if (!existsSync(new URL('../dist/main.js', import.meta.url))) {
  console.error('The server is not built: run `pnpm --filter @app/server build` (or `npm start` at the repository root).');
  process.exit(1);
}

await import('../dist/main.js');
