import { secureHeaders } from 'hono/secure-headers';

// Which security headers each kind of answer gets (Hono's secureHeaders). The API and the widget
// bundle are used by other origins (the widget runs on the host's page and calls the API with
// CORS; the bundle is loaded by a <script> tag there), so neither may say "same origin only";
// the demo page is ours alone and is locked down. HSTS is left to the TLS terminator in front
// (the server does not know whether it is reached over HTTPS).

/** Every answer: no MIME sniffing, no Referer sent onwards, the legacy switches off. */
export const baseSecurityHeaders = () =>
  secureHeaders({
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xFrameOptions: false,
    // A route's own headers (the demo page's, the bundle's) win.
    overwrite: false,
  });

/**
 * The policy the widget needs on a host page (docs/widget.md): scripts, styles, images and
 * connections from this origin only (images also from blob:, the previews of attachments), no
 * inline script or style (the widget styles itself
 * through adoptedStyleSheets), nothing else.
 */
export const DEMO_PAGE_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  // blob: for the previews of files the visitor attaches (object URLs of their own files).
  imgSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

/** The demo page (and its stylesheet): a strict CSP, never framed, its own browsing context. */
export const demoPageSecurityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: DEMO_PAGE_CSP,
    xFrameOptions: 'DENY',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    strictTransportSecurity: false,
  });

/** The widget bundle: loadable by a <script> tag of any origin, also on pages that require CORP. */
export const widgetBundleSecurityHeaders = () =>
  secureHeaders({
    crossOriginResourcePolicy: 'cross-origin',
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    strictTransportSecurity: false,
    xFrameOptions: false,
  });
