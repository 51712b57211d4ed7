import css from './widget.css?inline';

const adopted = new WeakMap<Document | ShadowRoot, true>();

/**
 * Puts the widget's stylesheet into a document or shadow root once. Uses a constructable
 * stylesheet (`adoptedStyleSheets`), which a strict CSP without `style-src 'unsafe-inline'`
 * allows; falls back to a `<style>` element where constructable stylesheets are missing.
 *
 * @example
 * adoptStyles(host.attachShadow({ mode: 'open' }));
 */
export function adoptStyles(root: Document | ShadowRoot, nonce?: string): void {
  if (adopted.has(root)) return;
  adopted.set(root, true);
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const doc = 'createElement' in root ? root : root.ownerDocument;
    const style = doc.createElement('style');
    if (nonce) style.nonce = nonce;
    style.textContent = css;
    ('head' in root ? root.head : root).appendChild(style);
  }
}
