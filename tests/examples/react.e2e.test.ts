import { afterAll, beforeAll, describe } from 'vitest';
import { checkRequirement, requirements } from '@app/test-support';
import { startVitePreview } from './support/example-server.js';
import { chatScenarios } from './support/scenarios.js';
import { startStack, type Stack } from './support/stack.js';

const hasChromium = checkRequirement(requirements.chromium);

describe.runIf(hasChromium)('examples/react (built, vite preview) with the reference server, in Chromium', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack((serverUrl) => startVitePreview('react', serverUrl));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  chatScenarios(
    () => stack,
    {
      name: 'react-widget',
      path: '/#/',
      widget: true,
      queuedLabel: /waiting for connection/i,
      offlineNotice: /offline/i,
    },
    {
      hostSelectors: ['body', '.site-header', 'h1', 'main p', 'main button', 'nav a'],
      screenshot: 'example-react',
    },
  );

  chatScenarios(() => stack, {
    name: 'react-custom-ui',
    path: '/#/custom',
    widget: false,
    queuedLabel: /waiting for the network/i,
    offlineNotice: /you are offline/i,
  });
});
