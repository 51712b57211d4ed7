import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';

// @testing-library/preact cleans up by itself only with vitest globals on. What a widget
// remembers (drafts, the open panel) is cleared after it, so no test starts from another's state.
afterEach(() => {
  cleanup();
  if (typeof localStorage !== 'undefined') localStorage.clear();
  if (typeof sessionStorage !== 'undefined') sessionStorage.clear();
});
