import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** One `create …` of a named schema object, where it is written. */
export interface Definition {
  /** e.g. `function public.task_claim`, `trigger async_tasks_touch on public.async_tasks`. */
  key: string;
  file: string;
  line: number;
}

const qualified = (name: string) => {
  const bare = name.replaceAll('"', '').toLowerCase();
  return bare.includes('.') ? bare : `public.${bare}`;
};

// A function is one definition whatever its arguments: an overload would be a second one.
const patterns: Array<{ re: RegExp; key: (m: RegExpExecArray) => string }> = [
  { re: /\bcreate\s+(?:or\s+replace\s+)?function\s+([\w."]+)\s*\(/gi, key: (m) => `function ${qualified(m[1]!)}` },
  {
    re: /\bcreate\s+(?:or\s+replace\s+)?(?:constraint\s+)?trigger\s+([\w"]+)\s[\s\S]*?\bon\s+([\w."]+)/gi,
    key: (m) => `trigger ${m[1]!.replaceAll('"', '').toLowerCase()} on ${qualified(m[2]!)}`,
  },
  {
    re: /\bcreate\s+policy\s+([\w"]+)\s+on\s+([\w."]+)/gi,
    key: (m) => `policy ${m[1]!.replaceAll('"', '').toLowerCase()} on ${qualified(m[2]!)}`,
  },
  { re: /\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?([\w."]+)/gi, key: (m) => `table ${qualified(m[1]!)}` },
];

// `--` comments to the end of the line: prose may mention `create function x(`.
const withoutComments = (sql: string) => sql.replace(/--[^\n]*/g, (c) => ' '.repeat(c.length));

/**
 * Every function, trigger, policy and table a SQL text creates.
 *
 * @example
 * definitionsIn('create policy p on public.t for select using (true);', 'x.sql');
 * // [{ key: 'policy p on public.t', file: 'x.sql', line: 1 }]
 */
export function definitionsIn(sql: string, file: string): Definition[] {
  const text = withoutComments(sql);
  const found: Definition[] = [];
  for (const { re, key } of patterns) {
    for (const m of text.matchAll(re)) {
      found.push({ key: key(m as RegExpExecArray), file, line: text.slice(0, m.index).split('\n').length });
    }
  }
  return found;
}

/** The keys defined more than once, each with every place it is defined. */
export function duplicates(definitions: Definition[]): Map<string, Definition[]> {
  const byKey = new Map<string, Definition[]>();
  for (const d of definitions) byKey.set(d.key, [...(byKey.get(d.key) ?? []), d]);
  return new Map([...byKey].filter(([, places]) => places.length > 1));
}

/** Every `.sql` / `.psql` file under `dir`, with paths relative to it. */
export async function sqlFilesUnder(dir: string): Promise<Array<{ file: string; sql: string }>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && /\.p?sql$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  return Promise.all(files.map(async (path) => ({ file: relative(dir, path), sql: await readFile(path, 'utf8') })));
}
