// `@app/server/testing`: helpers other suites (e2e, benchmarks) use against the server.
export { startFakeLlmServer, type FakeLlmServer, type FakeLlmStep, type FakeLlmRequest } from './fake-llm-server.js';
