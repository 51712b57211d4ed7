import { useEffect, useState } from 'preact/hooks';
import type { ThemeMode } from '../types.js';

type Scheme = 'light' | 'dark';

/** The system setting, where the browser can tell (not in every test DOM). */
const systemDark = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

/** Whether an `rgb()`/`rgba()` colour is opaque enough to judge, and dark. */
function darkBackground(color: string): boolean | undefined {
  const [r = 0, g = 0, b = 0, a = 1] = (color.match(/[\d.]+/g) ?? []).map(Number);
  if (!color.startsWith('rgb') || a < 0.5) return undefined;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
}

/**
 * How the host page is drawn: dark when `darkSelector` matches its `<html>` or `<body>` (when
 * given); else by its `color-scheme` (the CSS property or the `<meta name="color-scheme">`): a
 * page that offers both follows the visitor's system setting, as the page itself does; a page
 * that declares none is drawn light by the browser whatever the system says, unless its own
 * background is dark.
 *
 * @example
 * hostScheme('.dark') // 'dark' on <html class="dark">
 */
export function hostScheme(darkSelector?: string): Scheme {
  const html = document.documentElement;
  const body = document.body;
  if (darkSelector) {
    try {
      return html.matches(darkSelector) || body?.matches(darkSelector) ? 'dark' : 'light';
    } catch {
      // not a selector: judged as if it were not given
    }
  }
  let scheme = getComputedStyle(html).colorScheme || 'normal';
  if (scheme === 'normal') scheme = document.querySelector<HTMLMetaElement>('meta[name="color-scheme"]')?.content ?? 'normal';
  const light = /\blight\b/.test(scheme);
  const dark = /\bdark\b/.test(scheme);
  if (light && dark) return systemDark()?.matches ? 'dark' : 'light';
  if (light || dark) return dark ? 'dark' : 'light';
  for (const el of [body, html]) {
    const judged = el && darkBackground(getComputedStyle(el).backgroundColor);
    if (judged !== undefined) return judged ? 'dark' : 'light';
  }
  return 'light';
}

/**
 * The widget's colour scheme: `light` and `dark` as given; `auto` follows the host page
 * ({@link hostScheme}) and changes with it (a class or attribute on `<html>`/`<body>`, the
 * system setting).
 *
 * @example
 * const scheme = useHostTheme('auto', props.darkSelector);
 */
export function useHostTheme(theme: ThemeMode, darkSelector?: string): ThemeMode {
  const auto = theme === 'auto' && typeof document !== 'undefined';
  const [scheme, setScheme] = useState<Scheme | null>(() => (auto ? hostScheme(darkSelector) : null));
  useEffect(() => {
    if (!auto) return;
    const update = () => setScheme(hostScheme(darkSelector));
    update();
    const observer = new MutationObserver(update);
    observer.observe(document.documentElement, { attributes: true });
    if (document.body) observer.observe(document.body, { attributes: true });
    observer.observe(document.head, { childList: true, subtree: true, attributes: true });
    const system = systemDark();
    system?.addEventListener('change', update);
    return () => {
      observer.disconnect();
      system?.removeEventListener('change', update);
    };
  }, [auto, darkSelector]);
  return auto && scheme ? scheme : theme;
}
