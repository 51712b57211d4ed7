// `@app/async-tasks/testing`: an in-process fake server for tests, Storybook and demos.
export { createMemoryTransport, type MemoryTransport, type MemoryTransportOptions } from './memory-transport.js';
