import { act, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { highlight } from './highlight/lowlight.js';
import { setHighlighter } from './highlight/registry.js';
import { Markdown } from './Markdown.js';

const reply = (code: string, lang = 'js') => `Here:\n\n\`\`\`${lang}\n${code}\n\`\`\`\n`;

// Highlighting must never go through HTML strings: any use of these fails the test.
const htmlSinks = () => [
  vi.spyOn(Element.prototype, 'innerHTML', 'set'),
  vi.spyOn(Element.prototype, 'outerHTML', 'set'),
  vi.spyOn(Element.prototype, 'insertAdjacentHTML'),
];

describe('code blocks', () => {
  let writeText: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
  });
  afterEach(() => {
    setHighlighter(null);
    vi.restoreAllMocks();
  });

  it('show their language and copy their code with a button, announcing "Copied" politely', async () => {
    const { container } = render(<Markdown source={reply('const a = 1;\n\nconsole.log(a);')} />);
    expect(container.querySelector('.acw-code-lang')?.getAttribute('data-lang')).toBe('js');
    // Only the code is text: a settled reply is announced as its text.
    expect(container.querySelector('.acw-code')?.textContent).toBe('const a = 1;\n\nconsole.log(a);');
    const button = screen.getByRole('button', { name: 'Copy' });
    expect(button.getAttribute('type')).toBe('button');
    button.focus();
    expect(document.activeElement).toBe(button);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('');
    fireEvent.click(button);
    expect(writeText).toHaveBeenCalledWith('const a = 1;\n\nconsole.log(a);');
    await waitFor(() => expect(status.textContent).toBe('Copied'));
  });

  it('take their labels from the host, and select the code where the clipboard is not available', () => {
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    render(<Markdown source={reply('x = 1', 'python')} codeLabels={{ copy: 'Kopieren', copied: 'Kopiert' }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Kopieren' }));
    expect(getSelection()?.toString()).toBe('x = 1');
  });

  it('are highlighted once the highlighter has loaded, as spans around the same text', async () => {
    const sinks = htmlSinks();
    let resolve!: (h: typeof highlight) => void;
    setHighlighter(() => new Promise((r) => (resolve = r)));
    const code = 'const a = "<img src=x onerror=alert(1)>"; // done';
    const { container } = render(<Markdown source={reply(code)} />);
    const el = container.querySelector('pre code')!;
    expect(el.children).toHaveLength(0);
    await act(async () => resolve(highlight));
    await waitFor(() => expect(el.querySelector('.hljs-keyword')?.textContent).toBe('const'));
    expect(el.querySelector('.hljs-string')?.textContent).toBe('"<img src=x onerror=alert(1)>"');
    expect(el.querySelector('.hljs-comment')?.textContent).toBe('// done');
    expect(el.textContent).toBe(code);
    expect([...el.querySelectorAll('*')].every((n) => n.localName === 'span' && n.attributes.length <= 1)).toBe(true);
    for (const sink of sinks) expect(sink).not.toHaveBeenCalled();
  });

  it('stay plain text in a language the highlighter does not know, or without one', async () => {
    setHighlighter(() => Promise.resolve(highlight));
    const { container } = render(<Markdown source={`${reply('fn main() {}', 'rust')}\n${reply('let a', '')}\n${reply('let b')}`} />);
    const [rust, none, js] = [...container.querySelectorAll('pre code')];
    await waitFor(() => expect(js!.querySelector('span')).not.toBeNull());
    expect(rust!.children).toHaveLength(0);
    expect(none!.children).toHaveLength(0);
    expect(container.querySelectorAll('.acw-code-lang')[1]!.getAttribute('data-lang')).toBe('');
  });

  it('highlight HTML inside code as text: no element from the code reaches the page', async () => {
    setHighlighter(() => Promise.resolve(highlight));
    const code = '<script>alert(1)</script><img src=x onerror="alert(1)"><a href="javascript:alert(1)">x</a>';
    const { container } = render(<Markdown source={reply(code, 'html')} />);
    const el = container.querySelector('pre code')!;
    await waitFor(() => expect(el.querySelector('.hljs-tag')).not.toBeNull());
    expect(el.textContent).toBe(code);
    expect(container.querySelector('script, img, a, [onerror], [href]')).toBeNull();
  });
});

describe('task list items', () => {
  it('are disabled checkboxes named by the item text', () => {
    const { container } = render(<Markdown source={'- [x] ship it\n- [ ] write docs'} />);
    const boxes = screen.getAllByRole('checkbox');
    expect(boxes.map((b) => (b as HTMLInputElement).checked)).toEqual([true, false]);
    expect(boxes.every((b) => (b as HTMLInputElement).disabled)).toBe(true);
    expect(screen.getByRole('checkbox', { name: 'ship it' })).toBe(boxes[0]);
    expect(container.querySelectorAll('li > label.acw-task')).toHaveLength(2);
  });
});
