/**
 * Fills `{name}` placeholders.
 *
 * @example
 * format('{seconds} s', { seconds: 5 }) // '5 s'
 */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (all, key: string) => (key in values ? String(values[key]) : all));
}
