import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchServerSideEffects } from '../test/server-side-effects.js';

describe('the SDK on a server (no window)', () => {
  let effects: ReturnType<typeof watchServerSideEffects>;
  beforeEach(() => {
    effects = watchServerSideEffects();
  });
  afterEach(() => effects.restore());

  it('does nothing when imported, nor when its transport, client, session and task stores are made', async () => {
    // Imported here, after the stand-ins are in place, so whatever the modules do on import is seen.
    const sdk = await import('./index.js');
    const transport = sdk.shareAcrossTabs(sdk.createHttpTransport({ baseUrl: 'https://chat.example.com' }));
    const client = sdk.createTaskClient({ transport });
    const chat = sdk.createChatSession({ client, conversationId: 'c-1' });
    client.task('t-1');
    await effects.settle();
    expect(effects.seen).toEqual([]);
    expect(chat.$connection.value).toBeUndefined(); // a derived store not yet computed: nothing has run

    // What the first listener starts, and so what a server render must never do.
    const stop = chat.$messages.listen(() => {});
    await effects.settle();
    expect(effects.seen).toEqual(
      expect.arrayContaining([
        'BroadcastChannel async-tasks:chat:tabs',
        'fetch https://chat.example.com/api/session', // the anonymous session, before the conversation's stream
      ]),
    );
    stop();
    chat.destroy();
  });
});
