import { describe, expect, it, vi } from 'vitest';
import { createMemoryTransport } from '../transports/memory/memory-transport.js';
import { createTaskClient } from './task-client.js';
import type { TaskState } from './task-state.js';

const fast = { stepDelayMs: 1, replyDelayMs: 1 };

describe('createTaskClient', () => {
  it('creates a task and follows it to completion through its store', async () => {
    const client = createTaskClient({ transport: createMemoryTransport({ ...fast, handlers: { double: (n) => (n as number) * 2 } }) });
    const task = await client.create('double', 21);
    const seen: TaskState[] = [];
    const stop = client.task(task.id).subscribe((state) => seen.push(state));
    await vi.waitFor(() => expect(client.task(task.id).get().status).toBe('completed'));
    expect(client.task(task.id).get()).toMatchObject({ result: 42, connection: 'live', loaded: true });
    expect(seen.map((s) => s.status)).toContain('processing');
    expect(seen.map((s) => s.connection)[0]).toBe('connecting');
    stop();
  });

  it('returns the same store for the same id', () => {
    const client = createTaskClient({ transport: createMemoryTransport() });
    expect(client.task('a')).toBe(client.task('a'));
  });

  it('sends a fresh idempotency key on every create, and honours a given one', async () => {
    const transport = createMemoryTransport(fast);
    const spy = vi.spyOn(transport, 'createTask');
    const client = createTaskClient({ transport });
    const a = await client.create('x', 1);
    const b = await client.create('x', 1);
    const c = await client.create('x', 1, { idempotencyKey: 'same' });
    const d = await client.create('x', 1, { idempotencyKey: 'same' });
    const keys = spy.mock.calls.map(([input]) => input.idempotencyKey);
    expect(new Set(keys.slice(0, 2)).size).toBe(2);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
    expect(c.id).toBe(d.id);
  });

  it('opens the subscription with the first listener and closes it after the last leaves', async () => {
    const transport = createMemoryTransport(fast);
    const unsubscribe = vi.fn();
    const subscribe = vi.spyOn(transport, 'subscribeTask').mockImplementation(() => unsubscribe);
    const client = createTaskClient({ transport });
    const store = client.task('t1');
    expect(subscribe).not.toHaveBeenCalled();
    const a = store.listen(() => {});
    const b = store.listen(() => {});
    expect(subscribe).toHaveBeenCalledTimes(1);
    a();
    b();
    await vi.waitFor(() => expect(unsubscribe).toHaveBeenCalledTimes(1), { timeout: 5000 });
  });

  it('turns an unknown task into state, not a throw', async () => {
    const client = createTaskClient({ transport: createMemoryTransport() });
    const stop = client.task('missing').listen(() => {});
    await vi.waitFor(() => expect(client.task('missing').get().problem?.name).toBe('TaskNotFoundError'));
    await expect(client.get('missing')).rejects.toMatchObject({ name: 'TaskNotFoundError', status: 404 });
    stop();
  });

  it('cancels and retries, and the store shows it', async () => {
    const transport = createMemoryTransport({ stepDelayMs: 1, replyDelayMs: 1 });
    transport.failNext(1, { code: 'boom', message: 'Boom' });
    const client = createTaskClient({ transport });
    const task = await client.create('x', 1);
    const store = client.task(task.id);
    const stop = store.listen(() => {});
    await vi.waitFor(() => expect(store.get().status).toBe('failed'));
    expect(store.get().error).toMatchObject({ code: 'boom' });
    await client.retry(task.id);
    await vi.waitFor(() => expect(store.get().status).toBe('completed'));

    const slow = await createTaskClient({ transport: createMemoryTransport({ stepDelayMs: 50 }) }).create('x', 1);
    expect(slow.status).toBe('pending');
    stop();
  });

  it('cancels a pending task at once', async () => {
    const client = createTaskClient({ transport: createMemoryTransport({ stepDelayMs: 10_000 }) });
    const task = await client.create('x', 1);
    expect((await client.cancel(task.id)).status).toBe('cancelled');
  });
});
