// The element's declarations in TypeScript's DOM, React's JSX and Vue's template types. A
// declaration file: augmenting 'react' or 'vue' where they are not installed must not be an
// error (an app uses one of them, or neither).
import type { AsyncChatElement } from './AsyncChatElement.js';
import type { AsyncChatJsxProps, AsyncChatVueProps } from './element-types.js';

declare global {
  interface HTMLElementTagNameMap {
    'async-chat': AsyncChatElement;
  }
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'async-chat': AsyncChatJsxProps;
    }
  }
}

declare module 'vue' {
  interface GlobalComponents {
    'async-chat': new () => { $props: AsyncChatVueProps };
  }
}
