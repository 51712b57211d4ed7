import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createChatSession } from '../src/chat/chat-session.js';
import { NetworkError } from '../src/errors/network-error.js';
import { ValidationError } from '../src/errors/validation-error.js';
import { createTaskClient } from '../src/task/task-client.js';
import { createHttpTransport } from '../src/transports/http/http-transport.js';
import { memoryStorage } from './fixtures.js';
import { fakeNetwork } from './http-setup.js';
import { startReferenceServer } from './reference-server.js';

// Attachments through the SDK against the real reference server (demo model, files in PGlite).
const LONG = { timeout: 20_000, interval: 50 };

// A 1×1 PNG (what a screenshot is, to the server's type check).
const PNG = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC'), (c) =>
  c.charCodeAt(0),
);

describe('attachments through the SDK', () => {
  let server: Awaited<ReturnType<typeof startReferenceServer>>;
  const cleanups: Array<() => void> = [];
  beforeAll(async () => {
    server = await startReferenceServer({ replyDelayMs: 50 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  }, 60_000);
  afterEach(() => {
    for (const stop of cleanups.splice(0)) stop();
  });

  const open = () => {
    const network = fakeNetwork();
    const storage = memoryStorage();
    const transport = createHttpTransport({
      baseUrl: server.baseUrl,
      storage,
      connectivity: network.connectivity,
      isOnline: network.isOnline,
      visibility: null,
      backoff: { baseMs: 50, capMs: 500 },
    });
    const chat = createChatSession({ client: createTaskClient({ transport }), storage, BroadcastChannel: null });
    const stop = chat.$messages.listen(() => {});
    cleanups.push(() => {
      stop();
      chat.destroy();
    });
    return { chat, network, transport };
  };

  it('uploads with progress, sends with the attachment, and the message and the reply carry it', async () => {
    const { chat } = open();
    const progress: number[] = [];
    const upload = await chat.upload(new Blob([PNG], { type: 'image/png' }), {
      filename: 'screen.png',
      onProgress: ({ loaded, total }) => progress.push(loaded / total),
    });
    expect(upload).toMatchObject({ filename: 'screen.png', mediaType: 'image/png', width: 1, height: 1, inline: true });
    expect(progress.at(-1)).toBe(1);
    // The URL is absolute and readable without a header, as an <img> reads it.
    expect(upload.url.startsWith(`${server.baseUrl}/api/uploads/${upload.id}/content?t=`)).toBe(true);
    expect((await fetch(upload.url)).headers.get('content-type')).toBe('image/png');

    await chat.send('what is this?', { attachments: [upload] });
    expect(chat.$messages.get()[0]!.attachments).toEqual([upload]);
    await vi.waitFor(() => expect(chat.$messages.get().at(-1)).toMatchObject({ role: 'assistant', status: 'final' }), LONG);
    const [question, reply] = chat.$messages.get();
    expect(question!.attachments?.map((a) => a.id)).toEqual([upload.id]);
    expect(question!.attachments![0]!.url.startsWith(server.baseUrl)).toBe(true);
    expect(reply!.content).toContain('Attached image: screen.png, 1×1 pixels');
  });

  it('rejects a refused file with the server’s reason, and refuses at once while offline', async () => {
    const { chat, network } = open();
    const refused = await chat.upload(new Blob([PNG]), { filename: 'report.pdf' }).catch((e: unknown) => e);
    expect(ValidationError.isInstance(refused) || (refused as { status?: number }).status === 415).toBe(true);
    expect((refused as Error).message).toMatch(/content is a PNG image, but the name "report.pdf" says a PDF/);
    network.set(false);
    const offline = await chat.upload(new Blob([PNG]), { filename: 'a.png' }).catch((e: unknown) => e);
    expect(NetworkError.isInstance(offline)).toBe(true);
    expect((offline as { code: string }).code).toBe('offline');
  });

  it('queues a message with its uploaded files while offline and sends them when back online', async () => {
    const { chat, network } = open();
    const upload = await chat.upload(new Blob([PNG], { type: 'image/png' }), { filename: 'later.png' });
    network.set(false);
    await chat.send('sent later', { attachments: [upload] });
    expect(chat.$messages.get()[0]).toMatchObject({ delivery: 'queued', attachments: [upload] });
    network.set(true);
    await vi.waitFor(() => expect(chat.$messages.get()[0]).toMatchObject({ delivery: 'sent' }), LONG);
    expect(chat.$messages.get()[0]!.attachments?.map((a) => a.id)).toEqual([upload.id]);
  });

  it('sends files alone, named by their filenames', async () => {
    const { chat } = open();
    const upload = await chat.upload(new Blob([PNG], { type: 'image/png' }), { filename: 'only.png' });
    await chat.send('  ', { attachments: [upload] });
    await vi.waitFor(() => expect(chat.$messages.get()[0]).toMatchObject({ delivery: 'sent', content: 'only.png' }), LONG);
  });
});
