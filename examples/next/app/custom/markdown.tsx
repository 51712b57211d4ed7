'use client';

import { renderMarkdown } from '@app/chat-widget/markdown';
import { useEffect, useRef } from 'react';

/**
 * A reply's markdown, rendered by the widget's safe renderer into this element after it mounts:
 * DOM nodes made one by one, never an HTML string. On the server it is the plain text.
 */
export function Markdown({ text }: { text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.replaceChildren(renderMarkdown(text));
  }, [text]);
  return (
    <div ref={ref} className="chat-markdown">
      {text}
    </div>
  );
}
