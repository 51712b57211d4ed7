// A page that shows replies through the widget's markdown component with the built-in
// highlighter enabled, as the component and element entries do; built by the test with splitting,
// so the highlighter is a chunk of its own as an app's bundler emits it.
import { render } from 'preact';
import { enableBuiltInHighlighter } from '../../../src/markdown/highlight/enable.js';
import { Markdown } from '../../../src/markdown/Markdown.js';

enableBuiltInHighlighter();
(window as unknown as { showReply: (text: string) => void }).showReply = (text) => {
  render(<Markdown source={text} />, document.getElementById('reply')!);
};
