// Prints the size of the script-tag bundle (JS with its CSS inside) and fails over the budget.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const BUDGET = 20 * 1024;
const file = new URL('../dist/chat-widget.js', import.meta.url);
const code = readFileSync(file);
const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const gzip = gzipSync(code, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
console.log(`dist/chat-widget.js (JS + CSS, everything inside)`);
console.log(`  minified ${kb(code.length)}   gzip ${kb(gzip)}   brotli ${kb(brotli)}   budget ${kb(BUDGET)} brotli`);
// ASCII only, so the text survives a host that serves the file without a UTF-8 charset.
const nonAscii = code.findIndex((byte) => byte > 0x7f);
if (nonAscii !== -1) {
  console.error(`  non-ASCII byte at offset ${nonAscii}: build with terser's ascii_only`);
  process.exit(1);
}
if (brotli > BUDGET) {
  console.error(`  over budget by ${kb(brotli - BUDGET)}`);
  process.exit(1);
}
console.log(`  ${kb(BUDGET - brotli)} under budget`);
