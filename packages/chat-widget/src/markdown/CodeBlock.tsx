import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { loadedHighlighter, loadHighlighter, type Token } from './highlight/registry.js';

export interface CodeLabels {
  /** The copy button. */
  copy: string;
  /** Announced (politely) and shown after copying. */
  copied: string;
}

export interface CodeBlockProps {
  code: string;
  lang: string;
  labels: CodeLabels;
}

/** Tokens as spans with the highlighter's classes: text stays text, nothing is parsed as HTML. */
const render = (tokens: Token[]): ComponentChildren[] =>
  tokens.map((t) => (typeof t === 'string' ? t : <span class={t.className || undefined}>{render(t.children)}</span>));

/**
 * A fenced code block: its language, a copy button, and syntax highlighting once the
 * highlighter has loaded (the first block with a language loads it; until then, and for
 * languages it does not know, the code is plain text).
 *
 * @example
 * <CodeBlock code={'let a = 1;\n'} lang="js" labels={{ copy: 'Copy', copied: 'Copied' }} />
 */
export function CodeBlock({ code, lang, labels }: CodeBlockProps) {
  const [highlighter, setHighlighter] = useState(loadedHighlighter);
  const [copied, setCopied] = useState(false);
  const codeRef = useRef<HTMLElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const text = code.endsWith('\n') ? code.slice(0, -1) : code;

  useEffect(() => {
    if (highlighter || !lang) return;
    let live = true;
    void loadHighlighter().then((h) => {
      if (live && h) setHighlighter(() => h);
    });
    return () => {
      live = false;
    };
  }, [lang, highlighter]);
  useEffect(() => () => clearTimeout(timer.current), []);
  // A streamed block grows chunk by chunk: only a block whose text changed is highlighted again.
  const tokens = useMemo(() => (highlighter && lang ? highlighter(text, lang) : null), [highlighter, text, lang]);

  const copy = () => {
    const done = () => {
      setCopied(true);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => setCopied(false), 2000);
    };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, selectCode);
    else selectCode();
  };
  // Without clipboard access (an insecure page, a denied permission) the code is selected instead.
  const selectCode = () => {
    const selection = getSelection();
    if (!selection || !codeRef.current) return;
    selection.selectAllChildren(codeRef.current);
  };

  return (
    <div class="acw-code">
      {/* The language and the button's label are drawn from attributes, so the reply's text (what
          the finished reply is announced as) holds the code, not "js Copy". */}
      <div class="acw-code-bar">
        <span class="acw-code-lang" data-lang={lang} />
        <span class="acw-copied" role="status">
          {copied ? labels.copied : ''}
        </span>
        <button type="button" class="acw-copy" aria-label={labels.copy} onClick={copy} />
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a wide code block scrolls, and keyboard users must be able to focus it to scroll it. */}
      <pre tabIndex={0}>
        <code ref={codeRef} data-lang={lang || undefined}>
          {tokens ? render(tokens) : text}
        </code>
      </pre>
    </div>
  );
}
