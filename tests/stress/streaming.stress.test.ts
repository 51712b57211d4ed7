import { describe, expect, it } from 'vitest';
import { checkRequirement, requirements } from '@app/test-support';
import { report, sizes } from './support/results.js';
import { formatSummary, type Summary } from './support/stats.js';
import { runStreamingReplies } from './support/streaming.js';

const hasPostgres = checkRequirement(requirements.postgres);
const { replies, replyChars, chunkChars, chunksPerSecond, flushIntervalMs } = sizes.streaming;

// Each run: a fresh database and server processes, `n` visitors asking at once, the fake model
// streaming every reply at a set rate (or, for the baseline, answering it as one JSON body after
// as long). On three instances one server runs the replies and the visitors' streams are on the
// other two. `pnpm bench` runs this file at full size and reports the figures.
const runs = [
  { name: 'one-instance-single', instances: 1, replies: 1, streaming: true },
  { name: 'one-instance', instances: 1, replies, streaming: true },
  { name: 'one-instance-plain', instances: 1, replies, streaming: false },
  { name: 'three-instances-single', instances: 3, replies: 1, streaming: true },
  { name: 'three-instances', instances: 3, replies, streaming: true },
  { name: 'three-instances-plain', instances: 3, replies, streaming: false },
] as const;

describe.runIf(hasPostgres)(`streamed replies of ${replyChars} characters, ${chunkChars} per chunk at ${chunksPerSecond}/s`, () => {
  for (const run of runs) {
    const what = run.streaming ? 'streamed' : 'answered as plain JSON';
    it(`${run.replies} ${run.replies === 1 ? 'reply' : 'replies at once'} ${what}, ${run.instances} instance(s): each stored once as the model wrote it`, async () => {
      const { figures, checks } = await runStreamingReplies({ ...run, replyChars, chunkChars, chunksPerSecond, flushIntervalMs });
      report(`streaming-${run.name}`, figures);
      if (run.streaming) console.log(`model chunk → visitor's event: ${formatSummary(figures.chunkToEvent as Summary)}`);

      expect(checks).toMatchObject({
        sendErrors: [],
        unfinished: 0,
        wrongStored: [],
        wrongText: [],
        modelCalls: run.replies,
        streamedCalls: run.streaming ? run.replies : 0,
        extraAttempts: 0,
      });
      if (run.streaming) {
        // Every visitor saw the reply grow before it was complete, through output deltas.
        expect(checks.noTextBeforeCompletion).toBe(0);
        expect((figures.perReply as { outputEvents: number }).outputEvents).toBeGreaterThan(0);
        expect((figures.chunkToEvent as Summary).n).toBeGreaterThan(0);
      }
    });
  }
});
