import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../../src/markdown/parse.js';
import { normalizeHtml, toHtml } from '../conformance/to-html.js';

// Replies as models write them, each with a construct the widget once rendered wrongly; each must
// render as markdown-it (GFM tables, strikethrough and linkify on) renders it.
const md = new MarkdownIt({ html: false, linkify: true });

const answers: [string, string][] = [
  ['a code span inside bold', 'Use a glob: **Glob `**/*.ts` matches** every TypeScript file, and **`*.md` alone** only the top level.\n'],
  [
    '*args and **kwargs in prose',
    'In Python, *args collects extra positional arguments and **kwargs collects keyword arguments, so def f(*args, **kwargs) accepts anything.\n',
  ],
  ['a table right after a line of text', 'Here is the comparison:\n| Plan | Price |\n|:-----|------:|\n| Free | $0 |\n| Team | $8 |\n'],
  ['entities', 'Copyright &copy; 2024 Acme &amp; Co.&nbsp;Ltd. Use &lt;div&gt; for blocks &mdash; not &#60;span&#62;.\n'],
  [
    'reference links and their definitions',
    'See the [installation guide][guide] and the [FAQ][] for details, or [the docs].\n\n[guide]: https://example.com/install "Install guide"\n[faq]: https://example.com/faq\n[the docs]: <https://example.com/docs>\n',
  ],
  ['a bare URL with parentheses', 'Read more at https://en.wikipedia.org/wiki/Rust_(programming_language) before you start.\n'],
  [
    'a blank line inside a fenced block in a list item',
    '1. Create the file:\n   ```python\n   import os\n\n   print(os.getcwd())\n   ```\n2. Run it.\n3. Check the output.\n',
  ],
  ['an email autolink', 'Write to <support@example.com> or call us.\n'],
  [
    'a block quote continued without `>`',
    '> **Note:** this setting applies to every\nproject in the workspace, including\narchived ones.\n\nAfter the note.\n',
  ],
  ['Cyrillic snake_case', 'Переменная имя_файла_конфигурации хранит путь, а _курсив_ остаётся курсивом.\n'],
];

describe('replies render as markdown-it renders them', () => {
  it.each(answers)('%s', (_name, answer) => {
    expect(normalizeHtml(toHtml(parseMarkdown(answer)))).toBe(normalizeHtml(md.render(answer)));
  });
});
