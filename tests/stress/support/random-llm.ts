import { startFakeLlmServer, type FakeLlmServer } from '@app/server/testing';

/**
 * The fake OpenAI-compatible server, answering each request after a random 50–500 ms (an echo of
 * the last user message, so every LLM request can be traced back to the message it answers).
 */
export async function startRandomLatencyLlm(requests: number, { minMs = 50, maxMs = 500 } = {}): Promise<FakeLlmServer> {
  const llm = await startFakeLlmServer();
  llm.enqueue(...Array.from({ length: requests }, () => ({ delayMs: minMs + Math.floor(Math.random() * (maxMs - minMs + 1)) })));
  llm.setFallback({ delayMs: Math.round((minMs + maxMs) / 2) });
  return llm;
}
