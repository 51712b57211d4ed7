// Makes the CommonJS declaration files (`dist/*.d.cts`) compile for CommonJS consumers under
// `module: node16` / `nodenext`. nanostores is ESM only, and a `.d.cts` that imports it as tsup
// writes it (`import { ReadableAtom } from 'nanostores'`) is a `require` of an ES module to
// TypeScript (TS1479). A type-only import with `resolution-mode: 'import'` (TypeScript >= 5.3)
// reads the same types the ESM build uses; nothing of it exists at run time.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
const named = /^import \{ ([\w$, ]+) \} from 'nanostores';$/;
let rewritten = 0;
for (const file of readdirSync(dist).filter((name) => name.endsWith('.d.cts'))) {
  const lines = readFileSync(new URL(file, dist), 'utf8').split('\n');
  const out = [];
  for (const line of lines) {
    if (!/from 'nanostores'|^import 'nanostores'/.test(line)) {
      out.push(line);
    } else if (line === "import 'nanostores';") {
      rewritten += 1; // a leftover of the bundler: types need no side-effect import
    } else if (named.test(line)) {
      out.push(line.replace(named, "import type { $1 } from 'nanostores' with { 'resolution-mode': 'import' };"));
      rewritten += 1;
    } else {
      throw new Error(`${file}: an import of nanostores this step does not know how to rewrite: ${line}`);
    }
  }
  writeFileSync(new URL(file, dist), out.join('\n'));
}
console.log(`cjs-types: ${rewritten} nanostores import(s) in dist/*.d.cts made type-only imports of the ES module`);
