import { describe, expect, it } from 'vitest';
import { createServerMetrics, MAX_KIND_LABELS } from './server-metrics.js';

describe('createServerMetrics', () => {
  it('counts kinds past the first ones as other: a visitor choosing kinds cannot grow the series at will', async () => {
    const metrics = createServerMetrics();
    for (let i = 0; i < MAX_KIND_LABELS + 20; i++) metrics.taskCreated(`made-up.${i}`);
    metrics.taskCreated('chat.reply');
    const created = (await metrics.registry.getSingleMetric('async_chat_tasks_created_total')!.get()).values;
    expect(created).toHaveLength(MAX_KIND_LABELS + 1);
    expect(created.find((v) => v.labels.kind === 'other')?.value).toBe(21);
    expect(created.find((v) => v.labels.kind === 'chat.reply')?.value).toBe(1);
  });

  it('keeps two servers of one process apart (a registry each)', async () => {
    const a = createServerMetrics();
    const b = createServerMetrics();
    a.rateLimited('send');
    expect(await a.registry.metrics()).toContain('async_chat_rate_limited_total{limit="send"} 1');
    expect(await b.registry.metrics()).not.toContain('async_chat_rate_limited_total{limit="send"}');
  });
});
