// Prints the size of each chunk of the script-tag bundle (JS, the CSS inside the first) and fails
// over a chunk's budget. Budgets are brotli bytes, as a CDN or proxy serves them.
import { readdirSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { buildModule } from './module-size.ts';

const KB = 1024;
const CHUNKS = {
  'chat-widget.js': {
    what: 'first load: Preact, <async-chat>, the launcher, the CSS and the strings; parsed before the first paint',
    // What every page with the widget pays before the launcher shows.
    budget: 20 * KB,
  },
  'chat-widget-panel.js': {
    what: 'lazy: the panel (the SDK, conversation, markdown, composer); fetched when idle, on open, or at once inline',
    // A visitor waits for it when opening before the idle prefetch is done, and in inline mode:
    // 24 KB is ~120 ms at 1.6 Mbit/s (Lighthouse's slow 4G), about one 150 ms round trip more,
    // so such an open stays near a quarter second of network. (It was 18 KB before the panel
    // had conversations, feedback, regenerate, edit, copy and times, 22 KB before attachments:
    // docs/widget.md, Size.)
    budget: 24 * KB,
  },
};

const dist = new URL('../dist/', import.meta.url);
const kb = (n) => `${(n / KB).toFixed(2)} KB`;
const files = readdirSync(dist).filter((name) => /^chat-widget.*\.js$/.test(name));
let failed = false;
let total = 0;
const brotliOf = {};
for (const name of new Set([...Object.keys(CHUNKS).filter((known) => files.includes(known)), ...files])) {
  const chunk = CHUNKS[name];
  if (!chunk) {
    console.error(`dist/${name}: a chunk without a budget; give it one in scripts/size.mjs`);
    failed = true;
    continue;
  }
  const code = readFileSync(new URL(name, dist));
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const gzip = gzipSync(code, { level: 9 }).length;
  total += brotli;
  brotliOf[name] = brotli;
  console.log(`dist/${name} (${chunk.what})`);
  console.log(`  minified ${kb(code.length)}   gzip ${kb(gzip)}   brotli ${kb(brotli)}   budget ${kb(chunk.budget)} brotli`);
  // ASCII only, so the text survives a host that serves the file without a UTF-8 charset.
  const nonAscii = code.findIndex((byte) => byte > 0x7f);
  if (nonAscii !== -1) {
    console.error(`  non-ASCII byte at offset ${nonAscii}: build with terser's ascii_only`);
    failed = true;
  }
  if (brotli > chunk.budget) {
    console.error(`  over budget by ${kb(brotli - chunk.budget)}`);
    failed = true;
  } else console.log(`  ${kb(chunk.budget - brotli)} under budget`);
}
for (const name of Object.keys(CHUNKS)) {
  if (!files.includes(name)) {
    console.error(`dist/${name} is missing: run the build first`);
    failed = true;
  }
}
console.log(`both chunks: brotli ${kb(total)}`);

// Modules reported on their own: the markdown renderer's share of the panel chunk, and the
// highlighter, which the component and element entries load as a chunk of their own (the
// script-tag bundle does not highlight).
const MODULES = {
  'src/markdown/Markdown.tsx': { what: 'markdown renderer (parser, entities, code blocks)', in: 'chat-widget-panel.js' },
  'src/markdown/highlight/lowlight.ts': {
    what: 'syntax highlighter (lowlight, ten grammars), lazy chunk of the component and element entries',
    // The size of highlight.js core with the same grammars; a grammar more should be a choice.
    budget: 20 * KB,
  },
};
for (const [entry, module] of Object.entries(MODULES)) {
  const code = await buildModule(entry);
  const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${entry} (${module.what})`);
  const share = module.in ? `   measured alone, ${Math.round((100 * brotli) / brotliOf[module.in])} % of ${module.in}` : '';
  console.log(
    `  minified ${kb(code.length)}   brotli ${kb(brotli)}${module.budget ? `   budget ${kb(module.budget)} brotli` : ''}${share}`,
  );
  if (module.budget && brotli > module.budget) {
    console.error(`  over budget by ${kb(brotli - module.budget)}`);
    failed = true;
  }
}
if (failed) process.exit(1);
