import type { Page } from 'playwright-core';

/** Properties that show whether styles leaked: inherited text properties and the box. */
export const STYLE_PROPERTIES = [
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'text-transform',
  'text-align',
  'text-decoration-line',
  'white-space',
  'color',
  'background-color',
  'border-top-width',
  'border-top-style',
  'border-top-color',
  'border-top-left-radius',
  'padding-top',
  'padding-left',
  'margin-top',
  'margin-left',
  'box-sizing',
  'display',
  'visibility',
  'cursor',
  'width',
  'height',
] as const;

export type StyleSnapshot = Record<string, Record<string, string>>;

/**
 * Computed styles of every element inside the widgets' shadow roots, keyed by a path such as
 * `async-chat>div.acw>button.acw-launcher[1]`.
 */
export function widgetStyles(page: Page): Promise<StyleSnapshot> {
  return page.evaluate(
    (props) => {
      const out: Record<string, Record<string, string>> = {};
      const name = (el: Element) => `${el.localName}${el.classList.length ? `.${[...el.classList].join('.')}` : ''}`;
      const walk = (el: Element, path: string, root = false) => {
        const style = getComputedStyle(el);
        // The root block sits in the page's flow, so its size follows the page's layout, not its styles.
        const read = root ? props.filter((p) => p !== 'width' && p !== 'height') : props;
        out[path] = Object.fromEntries(read.map((p) => [p, style.getPropertyValue(p)]));
        for (const [i, child] of [...el.children].entries()) walk(child, `${path}>${name(child)}[${i}]`);
      };
      for (const [h, host] of [...document.querySelectorAll('async-chat')].entries()) {
        const children = [...(host.shadowRoot?.children ?? [])].filter((el) => el.localName !== 'style');
        for (const [i, el] of children.entries()) walk(el, `async-chat[${h}]>${name(el)}[${i}]`, true);
      }
      return out;
    },
    [...STYLE_PROPERTIES],
  );
}

/** Computed styles of the host page's own elements matched by `selectors` (first match of each). */
export function hostStyles(page: Page, selectors: string[]): Promise<StyleSnapshot> {
  return page.evaluate(
    ({ selectors, props }) => {
      const out: Record<string, Record<string, string>> = {};
      for (const selector of selectors) {
        const el = document.querySelector(selector);
        if (!el) throw new Error(`no host element matches ${selector}`);
        const style = getComputedStyle(el);
        out[selector] = Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
      }
      return out;
    },
    { selectors, props: [...STYLE_PROPERTIES] },
  );
}

/** Turns the host page's own stylesheets off (or on again); shadow roots keep theirs. */
export function setHostStylesDisabled(page: Page, disabled: boolean): Promise<void> {
  return page.evaluate((disabled) => {
    for (const sheet of [...document.styleSheets, ...document.adoptedStyleSheets]) sheet.disabled = disabled;
  }, disabled);
}

/** Selector texts of document-level rules that mention the widget's classes (should be none). */
export function widgetRulesInDocument(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const sheet of [...document.styleSheets, ...document.adoptedStyleSheets]) {
      let rules: CSSRuleList;
      try {
        rules = sheet.cssRules;
      } catch {
        continue; // cross-origin sheet
      }
      for (const rule of rules) if (/\.acw/.test(rule.cssText)) found.push(rule.cssText.slice(0, 80));
    }
    return found;
  });
}

/** The entries of `actual` that differ from `expected`, as `path: prop expected → actual`. */
export function styleDifferences(expected: StyleSnapshot, actual: StyleSnapshot): string[] {
  const diffs: string[] = [];
  for (const [path, props] of Object.entries(expected)) {
    if (!actual[path]) {
      diffs.push(`${path}: missing`);
      continue;
    }
    for (const [prop, value] of Object.entries(props)) {
      if (actual[path][prop] !== value) diffs.push(`${path}: ${prop} ${value} → ${actual[path][prop]}`);
    }
  }
  for (const path of Object.keys(actual)) if (!expected[path]) diffs.push(`${path}: extra`);
  return diffs;
}
