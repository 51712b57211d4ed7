import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Context, Hono } from 'hono';
import { demoPageSecurityHeaders, widgetBundleSecurityHeaders } from '../http/security-headers.js';
import type { RouteDeps } from './deps.js';

// A stylesheet of its own, not an inline <style>: the page's CSP allows no inline style.
const css = 'body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}\n';

const page = (bundleBuilt: boolean) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Async chat demo</title>
  <link rel="stylesheet" href="/demo.css">
</head>
<body>
  <h1>Async chat demo</h1>
  <p>The chat in the corner sends your message to this server; a workflow makes the reply while you see its live status.</p>
  ${bundleBuilt ? '' : '<p role="alert"><strong>The widget bundle is not built.</strong> Run <code>pnpm build</code> (or <code>pnpm start</code>, which builds first) and reload.</p>'}
  <script src="/widget/chat-widget.js" data-server-url="" data-title="Async chat demo" data-attachments async></script>
</body>
</html>
`;

/** A file of the widget's script-tag bundle, as JavaScript, revalidated on every load. */
const widgetFile = (path: string) => async (c: Context) => {
  let code: string;
  try {
    code = await readFile(path, 'utf8');
  } catch {
    c.header('content-type', 'text/javascript; charset=utf-8');
    return c.body('console.error("The chat widget bundle is not built: run pnpm build.");\n', 404);
  }
  c.header('content-type', 'text/javascript; charset=utf-8');
  c.header('cache-control', 'no-cache');
  return c.body(code);
};

/**
 * `GET /` (the demo page, with its stylesheet) and `GET /widget/chat-widget.js` (the widget's
 * script-tag bundle) with `GET /widget/chat-widget-panel.js`, the chunk it loads from beside
 * itself when the panel is needed (the file beside the bundle). The page gets a strict CSP and is
 * never framed; the bundle stays loadable from any origin (http/security-headers.ts).
 */
export function demoRoutes({ config }: RouteDeps) {
  const pageHeaders = demoPageSecurityHeaders();
  return new Hono()
    .get('/', pageHeaders, (c) => c.html(page(existsSync(config.widgetBundlePath))))
    .get('/demo.css', pageHeaders, (c) => {
      c.header('content-type', 'text/css; charset=utf-8');
      c.header('cache-control', 'no-cache');
      return c.body(css);
    })
    .get('/widget/chat-widget.js', widgetBundleSecurityHeaders(), widgetFile(config.widgetBundlePath))
    .get(
      '/widget/chat-widget-panel.js',
      widgetBundleSecurityHeaders(),
      widgetFile(join(dirname(config.widgetBundlePath), 'chat-widget-panel.js')),
    );
}
