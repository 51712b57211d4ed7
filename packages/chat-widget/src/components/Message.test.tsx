import { render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { Message } from './Message.js';

describe('Message', () => {
  it('shows user messages as plain text, markdown and HTML included', () => {
    const { container } = render(<Message message={{ id: '1', role: 'user', content: '**hi** <b>x</b>' }} authorLabel="You" />);
    expect(container.querySelector('strong, b')).toBeNull();
    expect(screen.getByText('**hi** <b>x</b>')).toBeTruthy();
  });

  it('renders assistant messages as markdown', () => {
    const { container } = render(
      <Message message={{ id: '2', role: 'assistant', content: '**hi** and `code`' }} authorLabel="Assistant" />,
    );
    expect(container.querySelector('strong')?.textContent).toBe('hi');
    expect(container.querySelector('code')?.textContent).toBe('code');
  });

  it('names the author for screen readers', () => {
    const { container } = render(<Message message={{ id: '3', role: 'assistant', content: 'x' }} authorLabel="Assistant" />);
    expect(container.querySelector('.acw-sr')?.textContent).toBe('Assistant: ');
  });
});
