/** How an attribute's text becomes a typed prop. */
export type AttributeType = 'string' | 'boolean' | 'number' | 'list' | 'json';

/**
 * The `<async-chat>` attributes and the type each is parsed to. The element's property is the
 * camelCased name (`server-url` → `serverUrl`), except for the attributes in {@link NATIVE}.
 */
export const ATTRIBUTES = {
  'server-url': 'string',
  'conversation-id': 'string',
  'storage-key': 'string',
  'chat-title': 'string',
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
  'remember-open': 'boolean',
  'dark-selector': 'string',
  'unread-sound': 'boolean',
  'unread-title': 'boolean',
  conversations: 'boolean',
  metadata: 'json',
  attachments: 'boolean',
  'attachment-types': 'string',
} as const satisfies Record<string, AttributeType>;

export type AttributeName = keyof typeof ATTRIBUTES;

/**
 * Attributes `HTMLElement` already has a property for: the element reads them and leaves the
 * built-in property alone (`el.dir = 'rtl'` sets the attribute, as on any element).
 */
export const NATIVE: readonly AttributeName[] = ['dir'];

/**
 * The script tag's `data-*` names that stand for another attribute: `data-title` sets the chat's
 * title (`chat-title`; the element's own `title` is its tooltip, as on any element).
 */
export const DATA_ALIASES: Readonly<Record<string, AttributeName>> = { title: 'chat-title' };

/** The element's property of each attribute that has one. */
export const PROPERTY_ATTRIBUTES = (Object.keys(ATTRIBUTES) as AttributeName[]).filter((a) => !NATIVE.includes(a));

/** `server-url` → `serverUrl`. */
export const propName = (attr: string) => attr.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/** The `ChatWidget` prop an attribute sets (`chat-title` → `title`, otherwise its property name). */
export const widgetProp = (attr: AttributeName) => (attr === 'chat-title' ? 'title' : propName(attr));

/**
 * Parses an attribute value: booleans follow HTML (present = true) except the literal "false";
 * lists are a JSON array or `|`-separated text; `welcome="false"` turns the welcome off; `json`
 * (`metadata`) is a JSON object (anything else is reported in the console and not used).
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
    case 'json':
      try {
        const parsed: unknown = JSON.parse(value);
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
      } catch {
        // reported below
      }
      console.error(`<async-chat> ${name}: not a JSON object, so it is not sent: ${value.slice(0, 80)}`);
      return undefined;
    default:
      return name === 'welcome' && value === 'false' ? false : value;
  }
}

/**
 * A property value as its attribute's text, or `null` to remove the attribute (false booleans,
 * empty values). Lists are not reflected: their property is the source of truth.
 *
 * @example
 * attributeText('open', true) // ''
 */
export function attributeText(name: AttributeName, value: unknown): string | null | undefined {
  const type: AttributeType = ATTRIBUTES[name];
  if (type === 'list' || type === 'json') return undefined;
  if (type === 'boolean') return value ? '' : null;
  if (value === undefined || value === null) return null;
  return String(value);
}

/**
 * A value set on a property, as the attribute would give it: booleans accept `""` (what Vue
 * sets for `<async-chat open>`) and `"false"`, numbers accept numeric text.
 *
 * @example
 * propertyValue('open', '') // true
 */
export function propertyValue(name: AttributeName, value: unknown): unknown {
  switch (ATTRIBUTES[name]) {
    case 'boolean':
      return typeof value === 'string' ? value !== 'false' : !!value;
    case 'number':
      return typeof value === 'string' ? parseAttribute(name, value) : value === null ? undefined : value;
    case 'string':
      return value === null || value === undefined ? undefined : value === false ? false : String(value);
    default:
      return value;
  }
}
