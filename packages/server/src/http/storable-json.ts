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

const label = (path: readonly (string | number)[]) => (path.length ? path.join('.') : 'body');

/**
 * The first reason the database would refuse a parsed JSON body, or null: objects and arrays
 * nested deeper than `maxDepth`, a string or field name with NUL or a lone surrogate. The walk
 * is iterative (no recursion), so any depth is safe to inspect.
 *
 * @example
 * unstorableJson({ input: { note: 'a\u0000b' } }); // 'input.note: must not contain the NUL character (\\u0000)'
 */
export function unstorableJson(value: unknown, maxDepth = MAX_JSON_DEPTH): string | null {
  const stack: Array<{ value: unknown; path: (string | number)[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      const problem = unstorableText(current);
      if (problem) return `${label(path)}: ${problem}`;
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    // `path` holds the containers above this one: the body is at depth 1.
    // Named by the body's field it is in (the full path would be as long as the nesting).
    if (path.length + 1 > maxDepth) {
      const field = typeof path[0] === 'string' ? path[0] : 'body';
      return `${field}: nests deeper than ${maxDepth} levels of objects and arrays`;
    }
    if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: [...path, i] });
      continue;
    }
    const entries = Object.entries(current);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [name, child] = entries[i]!;
      const problem = unstorableText(name);
      if (problem) return `${label(path)}: a field name ${problem}`;
      stack.push({ value: child, path: [...path, name] });
    }
  }
  return null;
}
