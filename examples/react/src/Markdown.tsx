import { type Highlighter, loadDefaultHighlighter, renderMarkdown } from '@app/chat-widget/markdown';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';

let highlighter: Promise<Highlighter> | undefined;

/**
 * A message's markdown, rendered by the widget's own safe renderer into this element: DOM nodes
 * made one by one, never an HTML string, so a reply cannot inject markup. Code is highlighted
 * once the highlighter chunk has loaded (only for replies with a fenced block).
 */
export function Markdown({ text, className }: { text: string; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [highlight, setHighlight] = useState<Highlighter | null>(null);
  useEffect(() => {
    if (highlight || !/^ {0,3}(```|~~~)/m.test(text)) return;
    let live = true;
    highlighter ??= loadDefaultHighlighter();
    void highlighter.then((h) => live && setHighlight(() => h));
    return () => {
      live = false;
    };
  }, [text, highlight]);
  useLayoutEffect(() => {
    ref.current?.replaceChildren(renderMarkdown(text, { highlight }));
  }, [text, highlight]);
  return <div ref={ref} className={className} />;
}
