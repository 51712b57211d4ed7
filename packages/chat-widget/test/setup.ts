import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';

// @testing-library/preact cleans up by itself only with vitest globals on.
afterEach(() => cleanup());
