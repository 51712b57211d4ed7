import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import shell from 'highlight.js/lib/languages/shell';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import { createLowlight } from 'lowlight';
import type { Highlighter, Token } from './registry.js';

// The built-in highlighter: highlight.js grammars through lowlight, which returns a syntax tree
// instead of an HTML string, so tokens become elements and text nodes, never markup. The
// languages replies use most; lowlight knows their aliases (js, ts, py, sh, html, yml, …).
const lowlight = createLowlight({ bash, css, diff, javascript, json, python, shell, typescript, xml, yaml });

interface HastNode {
  type: string;
  value?: string;
  properties?: { className?: unknown };
  children?: HastNode[];
}

function tokens(nodes: HastNode[]): Token[] {
  return nodes.map((n) =>
    n.type === 'text'
      ? (n.value ?? '')
      : {
          className: (Array.isArray(n.properties?.className) ? n.properties.className : [])
            .filter((c) => /^[\w-]+$/.test(String(c)))
            .join(' '),
          children: tokens(n.children ?? []),
        },
  );
}

/** Highlights code in one of the built-in languages (or an alias), else null. */
export const highlight: Highlighter = (code, lang) =>
  lowlight.registered(lang.toLowerCase()) ? tokens(lowlight.highlight(lang.toLowerCase(), code).children as HastNode[]) : null;
