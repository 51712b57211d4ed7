// `@app/async-tasks/testing`: an in-process fake server for tests, Storybook and demos; never
// needed in production, so it is not on the main entry.
export { createMemoryTransport, type MemoryTransport, type MemoryTransportOptions } from './transports/memory/memory-transport.js';
