import type { Inline } from './ast.js';

// GFM extended autolinks: `www.…`, `http(s)://…` and email addresses written without `<>`.

const START = /(?:www\.|https?:\/\/)/gi;
const URL_AT = /(?:www\.|https?:\/\/)([\w-]+(?:\.[\w-]+)*)[^\s<]*/iy;
const BOUNDARY = /[\s*_~(]/;

/** GFM trailing punctuation: `?!.,:*_~` go, an unbalanced `)` goes, so does a trailing `&entity;`. */
function trimEnd(url: string): string {
  let end = url.length;
  let open = 0;
  let close = 0;
  for (const c of url) {
    if (c === '(') open++;
    else if (c === ')') close++;
  }
  // By index: an end-anchored regex over a long run of dots would be quadratic.
  for (;;) {
    const c = url[end - 1]!;
    if ('?!.,:*_~'.includes(c)) end--;
    else if (c === ')' && close > open) {
      end--;
      close--;
    } else if (c === ';') {
      const m = /&[A-Za-z0-9]+;$/.exec(url.slice(Math.max(0, end - 40), end));
      if (!m) break;
      end -= m[0].length;
    } else break;
  }
  return url.slice(0, end);
}

/**
 * The first extended autolink starting in `src` between `from` and `to` (where plain text runs),
 * at a word boundary: `[at, end, href]`, or null.
 */
export function findUrl(src: string, from: number, to: number): [number, number, string] | null {
  const run = src.slice(from, to);
  START.lastIndex = 0;
  for (let m = START.exec(run); m; m = START.exec(run)) {
    const at = from + m.index;
    if (at > 0 && !BOUNDARY.test(src[at - 1]!)) continue;
    URL_AT.lastIndex = at;
    const u = URL_AT.exec(src)!;
    const domain = u[1]!.split('.');
    const www = /^www\./i.test(u[0]);
    // A valid domain has no underscore in its last two labels.
    if (domain.slice(-2).some((l) => l.includes('_'))) continue;
    const text = trimEnd(u[0]);
    return [at, at + text.length, www ? `http://${text}` : text];
  }
  return null;
}

const EMAIL = /(?<![\w.+-])(?:(mailto:)|(xmpp:))?([\w.+-]+@[\w.-]+)/g;

/** Text with its email addresses (and `mailto:`/`xmpp:` links) as links. */
export function linkEmails(text: string): Inline[] {
  if (!text.includes('@')) return [text];
  const out: Inline[] = [];
  let last = 0;
  EMAIL.lastIndex = 0;
  for (let m = EMAIL.exec(text); m; m = EMAIL.exec(text)) {
    let email = m[3]!.replace(/\.+$/, '');
    const domain = email.slice(email.indexOf('@') + 1);
    if (!domain.includes('.') || /[-_]$/.test(email)) continue;
    let end = m.index + (m[1] ?? m[2] ?? '').length + email.length;
    if (m[2]) {
      // xmpp: may name a resource after a slash.
      const resource = /^\/[\w@.]+/.exec(text.slice(end))?.[0].replace(/\.+$/, '') ?? '';
      email += resource;
      end += resource.length;
    }
    const shown = (m[1] ?? m[2] ?? '') + email;
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push({ t: 'a', href: m[2] ? shown : `mailto:${email}`, c: [shown] });
    last = end;
    EMAIL.lastIndex = end;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
