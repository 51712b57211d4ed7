/** How an attribute's text becomes a typed prop. */
export type AttributeType = 'string' | 'boolean' | 'number' | 'list';

/** The `<async-chat>` attributes and the type each is parsed to; the prop is the camelCased name. */
export const ATTRIBUTES = {
  'server-url': 'string',
  'conversation-id': 'string',
  title: 'string',
  subtitle: 'string',
  'avatar-url': 'string',
  mode: 'string',
  theme: 'string',
  position: 'string',
  locale: 'string',
  dir: 'string',
  welcome: 'string',
  suggestions: 'list',
  'allow-images': 'boolean',
  open: 'boolean',
  'disable-while-busy': 'boolean',
  'style-nonce': 'string',
  'max-length': 'number',
} as const satisfies Record<string, AttributeType>;

export type AttributeName = keyof typeof ATTRIBUTES;

/** `server-url` → `serverUrl`. */
export const propName = (attr: string) => attr.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * Parses an attribute value: booleans follow HTML (present = true) except the literal "false";
 * lists are a JSON array or `|`-separated text; `welcome="false"` turns the welcome off.
 *
 * @example
 * parseAttribute('open', '') // true
 */
export function parseAttribute(name: AttributeName, value: string | null): unknown {
  const type: AttributeType = ATTRIBUTES[name];
  if (value === null) return type === 'boolean' ? false : undefined;
  switch (type) {
    case 'boolean':
      return value !== 'false';
    case 'number': {
      const n = Number(value);
      return value.trim() === '' || Number.isNaN(n) ? undefined : n;
    }
    case 'list': {
      if (value.trim().startsWith('[')) {
        try {
          const list: unknown = JSON.parse(value);
          if (Array.isArray(list)) return list.map(String);
        } catch {
          // not JSON: fall through to the separator form
        }
      }
      return value
        .split('|')
        .map((s) => s.trim())
        .filter(Boolean);
    }
    default:
      return name === 'welcome' && value === 'false' ? false : value;
  }
}
