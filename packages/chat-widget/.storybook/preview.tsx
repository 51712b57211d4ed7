import type { Preview } from '@storybook/preact-vite';
import { adoptStyles } from '../src/theme/adopt-styles.js';

adoptStyles(document);

const preview: Preview = {
  parameters: {
    // axe runs after every story in the story tests; a violation fails the test.
    a11y: { test: 'error' },
    layout: 'padded',
  },
  globalTypes: {
    theme: { description: 'Colour theme', toolbar: { title: 'Theme', items: ['light', 'dark', 'auto'] } },
  },
  initialGlobals: { theme: 'light' },
  decorators: [
    // Presentational components need the widget root for their custom properties.
    (Story, { globals, parameters }) => (
      <div class="acw" data-theme={parameters.theme ?? globals.theme} dir={parameters.dir} style={{ maxWidth: '420px' }}>
        <Story />
      </div>
    ),
  ],
};
export default preview;
