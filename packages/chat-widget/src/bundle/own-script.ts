/**
 * The `<script>` element this bundle was loaded by: its `data-*` attributes configure the widget,
 * its URL is the default server and where the panel chunk is. Read while this module first runs,
 * which is the bundle's synchronous start: `document.currentScript` is null later, and for
 * `async` scripts it is set only during that run.
 */
export const ownScript = (document.currentScript ?? document.querySelector('script[src*="chat-widget"]')) as HTMLScriptElement | null;

/**
 * A URL beside the bundle's own (the page's when the bundle has no `src`).
 *
 * @example
 * besideOwnScript('chat-widget-panel.js') // 'https://chat.example.com/widget/chat-widget-panel.js'
 */
export function besideOwnScript(file: string): string {
  return new URL(file, ownScript?.src || location.href).href;
}
