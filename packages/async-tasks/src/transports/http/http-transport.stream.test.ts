import { describe, expect, it, vi } from 'vitest';
import { useContractServer } from '../../../test/http-setup.js';
import { createTaskClient } from '../../task/task-client.js';
import type { TaskStreamEvent } from '../transport.js';
import type { ConnectionState } from '../transport.js';

describe('http transport: live task updates over SSE', () => {
  const t = useContractServer();

  const follow = async (options = {}) => {
    const { transport, network } = t.transport(options);
    const client = createTaskClient({ transport });
    const task = await client.create('x', { n: 1 });
    const store = client.task(task.id);
    const connections: ConnectionState[] = [];
    t.cleanup(store.listen((state) => connections.at(-1) !== state.connection && connections.push(state.connection)));
    await vi.waitFor(() => expect(store.get().connection).toBe('live'));
    return { client, task, store, network, connections, transport };
  };

  it('shows live status and the final result', async () => {
    const { store, task } = await follow();
    t.server.progress(task.id, 'Reading the conversation…');
    await vi.waitFor(() => expect(store.get()).toMatchObject({ status: 'processing', statusMessage: 'Reading the conversation…' }));
    t.server.complete(task.id, 'Hi');
    await vi.waitFor(() => expect(store.get()).toMatchObject({ status: 'completed', result: { content: 'Hi' } }));
    const stream = t.server.requests.find((r) => r.url.endsWith('/stream'))!;
    expect(stream.authorization).toMatch(/^Bearer at-/);
  });

  it('grows the text of a streaming reply from output events, and skips a malformed one', async () => {
    const { store, task } = await follow();
    t.server.progress(task.id, 'AI is thinking…');
    const texts: Array<string | null> = [];
    t.cleanup(store.listen((state) => texts.at(-1) !== state.partialText && texts.push(state.partialText)));
    t.server.output(task.id, 'Hel');
    t.server.writeRaw('event: output\nid: 999\ndata: {not json\n\n');
    t.server.output(task.id, 'lo');
    await vi.waitFor(() => expect(store.get()).toMatchObject({ status: 'processing', partialText: 'Hello' }));
    t.server.complete(task.id, 'Hello!');
    await vi.waitFor(() => expect(store.get()).toMatchObject({ status: 'completed', partialText: null, result: { content: 'Hello!' } }));
    expect(texts).toEqual([null, 'Hel', 'Hello', null]);
    expect(store.get().version).toBe(t.server.tasks().find((x) => x.id === task.id)!.version);
    expect(t.server.requests.filter((r) => r.url.endsWith('/stream'))).toHaveLength(1); // one stream throughout
  });

  it('misses no final state when the stream is cut mid-task: resumes with Last-Event-ID and re-reads the snapshot', async () => {
    const { store, task, connections } = await follow();
    t.server.progress(task.id, 'AI is thinking…');
    await vi.waitFor(() => expect(store.get().statusMessage).toBe('AI is thinking…'));
    const seenVersion = store.get().version;
    t.server.cutStreams();
    t.server.complete(task.id, 'Made it'); // happens while nobody listens
    await vi.waitFor(() => expect(store.get()).toMatchObject({ status: 'completed', result: { content: 'Made it' } }));
    expect(store.get().version).toBeGreaterThan(seenVersion);
    expect(connections).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    const resumed = t.server.requests.filter((r) => r.url.endsWith('/stream')).at(-1)!;
    expect(Number(resumed.lastEventId)).toBeGreaterThan(0);
  });

  it('refreshes the token when the stream answers 401, and when the server says `expired`', async () => {
    const { store, task } = await follow();
    t.server.revokeTokens();
    t.server.expireStreams();
    await vi.waitFor(() => expect(t.server.requests.map((r) => r.url)).toContain('/api/session/refresh'));
    await vi.waitFor(() => expect(t.server.streamCount()).toBe(1));
    t.server.complete(task.id);
    await vi.waitFor(() => expect(store.get().status).toBe('completed'));
  });

  it('goes offline with the device and reconnects at once when it is back', async () => {
    const { store, task, network } = await follow({ backoff: { baseMs: 60_000, capMs: 60_000 } });
    network.set(false);
    await vi.waitFor(() => expect(store.get().connection).toBe('offline'));
    await vi.waitFor(() => expect(t.server.streamCount()).toBe(0));
    t.server.complete(task.id, 'while offline');
    network.set(true); // no 60 s backoff wait: `online` reconnects now
    await vi.waitFor(() => expect(store.get()).toMatchObject({ status: 'completed', connection: 'live' }));
  });

  it('reconnects when a hidden page becomes visible instead of waiting out the backoff', async () => {
    const page = Object.assign(new EventTarget(), { visibilityState: 'visible' });
    const { store, task } = await follow({ visibility: page, backoff: { baseMs: 60_000, capMs: 60_000 } });
    t.server.cutStreams(); // the stream now waits a 30–60 s backoff before reconnecting
    await vi.waitFor(() => expect(store.get().connection).toBe('reconnecting'));
    t.server.complete(task.id);
    page.dispatchEvent(new Event('visibilitychange'));
    await vi.waitFor(() => expect(store.get()).toMatchObject({ status: 'completed', connection: 'live' }));
  });

  it('reconnects at once on reconnect() instead of waiting out the backoff, and leaves a live stream alone', async () => {
    const { store, task, transport } = await follow({ backoff: { baseMs: 60_000, capMs: 60_000 } });
    const streams = () => t.server.requests.filter((r) => r.url.endsWith('/stream')).length;
    transport.reconnect!(); // live: nothing to do
    expect(streams()).toBe(1);
    t.server.cutStreams(); // the stream now waits a 30–60 s backoff before reconnecting
    await vi.waitFor(() => expect(store.get().connection).toBe('reconnecting'));
    t.server.complete(task.id);
    transport.reconnect!();
    await vi.waitFor(() => expect(store.get()).toMatchObject({ status: 'completed', connection: 'live' }));
    expect(streams()).toBe(2);
  });

  it('stops with an error event, not retries, when the task does not exist', async () => {
    const { transport } = t.transport();
    const events: TaskStreamEvent[] = [];
    t.cleanup(transport.subscribeTask('missing', (e) => events.push(e)));
    await vi.waitFor(() => expect(events.find((e) => e.type === 'error')).toBeDefined());
    const error = events.find((e) => e.type === 'error') as { error: Error };
    expect(error.error.name).toBe('TaskNotFoundError');
    expect(events).toContainEqual({ type: 'connection', connection: 'offline' });
    expect(t.server.requests.filter((r) => r.url === '/api/tasks/missing/stream')).toHaveLength(1);
  });

  it('closes the stream shortly after the last listener leaves', async () => {
    const { transport } = t.transport();
    const client = createTaskClient({ transport });
    const task = await client.create('x', 1);
    const stop = client.task(task.id).listen(() => {});
    await vi.waitFor(() => expect(t.server.streamCount()).toBe(1));
    stop();
    await vi.waitFor(() => expect(t.server.streamCount()).toBe(0), { timeout: 5000 });
  });
});
