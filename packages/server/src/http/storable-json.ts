/**
 * How deep objects and arrays may nest in a request body; the body itself is the first level, so
 * a task's `input` may nest 31 more. Deeper values are refused before validation: the validator
 * and the database both walk JSON recursively, and a value nested a few thousand levels deep
 * overflows their stacks.
 */
export const MAX_JSON_DEPTH = 32;

// A UTF-16 surrogate without its other half: not a Unicode character, so it has no UTF-8 form.
// The driver would silently store U+FFFD instead (two different idempotency keys would then be
// one), and jsonb refuses it outright.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why PostgreSQL cannot store `text` as it is, or null when it can. */
export function unstorableText(text: string): string | null {
  // PostgreSQL text and jsonb cannot hold U+0000 (SQLSTATE 22021 / 22P05).
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone surrogate (\\ud800–\\udfff without its pair): not valid Unicode';
  return null;
}

export interface Unstorable {
  /** Where, from the value given: for a nesting too deep, only the first step. */
  path: (string | number)[];
  problem: string;
}

/**
 * The first reason the database would refuse a parsed JSON value, or null: objects and arrays
 * nested deeper than {@link MAX_JSON_DEPTH} (counting `levelsAbove` containers above the value:
 * 0 for a whole body, 1 for a field of it), a string or field name with NUL or a lone
 * surrogate. The walk is iterative (no recursion), so any depth is safe to inspect.
 *
 * @example
 * findUnstorable({ note: 'a\u0000b' }); // { path: ['note'], problem: 'must not contain the NUL character (\\u0000)' }
 */
export function findUnstorable(value: unknown, levelsAbove = 0): Unstorable | null {
  const stack: Array<{ value: unknown; path: (string | number)[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = unstorableText(current);
      if (problem) return { path, problem };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    // `path` holds the containers between the value and this one.
    if (levelsAbove + path.length + 1 > MAX_JSON_DEPTH) {
      return { path: path.slice(0, 1), problem: `nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays` };
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: [...path, i] });
      continue;
    }
    const entries = Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [name, child] = entries[i]!;
      const problem = unstorableText(name);
      if (problem) return { path, problem: `a field name ${problem}` };
      stack.push({ value: child, path: [...path, name] });
    }
  }
  return null;
}

/**
 * {@link findUnstorable} for a whole request body, as a message naming the field, or null.
 *
 * @example
 * unstorableJson({ input: { note: 'a\u0000b' } }); // 'input.note: must not contain the NUL character (\\u0000)'
 */
export function unstorableJson(body: unknown): string | null {
  const found = findUnstorable(body);
  if (!found) return null;
  // A nesting too deep is named by the body's field it is in (the full path would be as long as the nesting).
  const at = found.problem.startsWith('nests') ? found.path.filter((p) => typeof p === 'string') : found.path;
  return `${at.length > 0 ? at.join('.') : 'body'}: ${found.problem}`;
}
