// @vitest-environment node
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { AsyncChat } from '../react.js';

describe('AsyncChat on a server', () => {
  it('renders the element with its text, number and boolean props as attributes, and nothing else', () => {
    expect(typeof customElements).toBe('undefined');
    const html = renderToString(
      createElement(AsyncChat, {
        serverUrl: 'https://chat.example.com',
        chatTitle: 'Support',
        storageKey: 'sales',
        open: true,
        allowImages: false,
        maxLength: 200,
        suggestions: ['Where is my order?'],
        onReplyReceived: () => {},
        className: 'chat',
      }),
    );
    expect(html).toBe(
      '<async-chat class="chat" server-url="https://chat.example.com" storage-key="sales" chat-title="Support" open="" max-length="200"></async-chat>',
    );
  });
});
