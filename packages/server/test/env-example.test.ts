import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { findWorkspaceRoot } from '../src/workspace.js';

// .env.example is the operator's list of settings: it must name every variable the server reads,
// no variable it does not, and show each default as the server applies it.
const root = findWorkspaceRoot();
const exampleText = readFileSync(join(root, '.env.example'), 'utf8');
const example = parseEnv(exampleText) as Record<string, string>;
const configSource = readFileSync(join(root, 'packages', 'server', 'src', 'config.ts'), 'utf8');

/** The names config.ts passes to its readers (`text(env, 'X')`, `integer(env, 'X', …)`, …) or reads as `env.X` / `env['X']`. */
function namesInSource(source: string): Set<string> {
  const names = new Set<string>();
  for (const match of source.matchAll(/\(\s*env\s*,\s*['"]([A-Z][A-Z0-9_]*)['"]/g)) names.add(match[1] as string);
  for (const match of source.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g))
    names.add((match[1] ?? match[2]) as string);
  return names;
}

/** The names loadConfig asks its environment for, recorded by running it. */
function namesRead(): Set<string> {
  const names = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get: (_target, name) => {
      if (typeof name === 'string') names.add(name);
      return undefined;
    },
  });
  loadConfig(env, root);
  return names;
}

describe('.env.example', () => {
  it('names every variable config.ts reads, and only those', () => {
    const read = new Set([...namesInSource(configSource), ...namesRead()]);
    // The parser found the readers: a rewrite of config.ts it cannot follow fails here, not silently.
    for (const known of ['PORT', 'DATABASE_URL', 'NODE_ENV', 'LLM_API_KEY']) expect(read).toContain(known);
    expect(Object.keys(example).sort()).toEqual([...read].sort());
  });

  it('explains each variable on the line above it', () => {
    const lines = exampleText.split('\n');
    for (const name of Object.keys(example)) {
      const at = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(lines[at - 1], name).toMatch(/^# \S/);
    }
  });

  it('shows the defaults: copied as it is, it changes nothing', () => {
    const defaults = loadConfig({}, root);
    for (const [name, value] of Object.entries(example)) {
      expect(loadConfig({ [name]: value }, root), `${name}=${value}`).toEqual(defaults);
    }
    expect(loadConfig(example, root)).toEqual(defaults);
  });
});
