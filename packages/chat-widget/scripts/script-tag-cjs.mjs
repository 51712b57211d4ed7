// The script-tag bundle (dist/chat-widget.js) is a classic script, no module: the same file is
// valid CommonJS. The package is "type": "module", so Node and TypeScript read every .js in it as
// an ES module; `require('@app/chat-widget/chat-widget.js')` gets this .cjs copy instead, and the
// export map is then right for both module systems (are-the-types-wrong checks it).
import { copyFileSync } from 'node:fs';

const dist = new URL('../dist/', import.meta.url);
copyFileSync(new URL('chat-widget.js', dist), new URL('chat-widget.cjs', dist));
console.log('script-tag-cjs: dist/chat-widget.cjs is a copy of dist/chat-widget.js');
