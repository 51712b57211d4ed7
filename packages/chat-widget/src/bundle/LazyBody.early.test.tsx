import { fireEvent, render, screen } from '@testing-library/preact';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeSession } from '../../test/fake-session.js';
import { ChatBody } from '../widget/ChatBody.js';
import { WidgetRoot } from '../widget/WidgetRoot.js';
import { lazyBody } from './LazyBody.js';
import type { PanelChunk, PanelChunkState } from './panel-chunk-loader.js';

/** A panel chunk that arrives when the test says so, with the real conversation body. */
function chunkArrivingLater() {
  let state: PanelChunkState = { status: 'idle' };
  const listeners = new Set<(state: PanelChunkState) => void>();
  const set = (next: PanelChunkState) => {
    state = next;
    for (const listener of [...listeners]) listener(state);
  };
  const chunk: PanelChunk = {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },
    load: () => state.status === 'idle' && set({ status: 'loading' }),
  };
  return { chunk, arrive: () => set({ status: 'loaded', panel: { Body: ChatBody } }) };
}

const box = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
const type = (text: string) => {
  box().value = text;
  fireEvent.input(box());
};

describe('lazyBody: the message box before the panel chunk is here', () => {
  beforeEach(() => localStorage.clear());

  it('is there and enabled from the first render of an inline chat', () => {
    const { chunk } = chunkArrivingLater();
    render(<WidgetRoot mode="inline" body={lazyBody(chunk)} session={fakeSession().session} />);
    expect(box().disabled).toBe(false);
    expect(box().readOnly).toBe(false);
    expect(screen.getByRole('status').textContent).toBe('Loading the chat…');
  });

  it('a message sent with Enter before the chunk is sent when it arrives, once', async () => {
    const { chunk, arrive } = chunkArrivingLater();
    const { session, calls } = fakeSession();
    render(<WidgetRoot mode="inline" body={lazyBody(chunk)} session={session} />);
    type('Hello early');
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(box().readOnly).toBe(true);
    expect(calls).toEqual([]);
    await screen.findByRole('status');
    arrive();
    await screen.findByRole('log');
    expect(calls).toEqual(['send:Hello early']);
    expect(box().value).toBe('');
  });

  it('unsent text and focus go on to the panel’s composer', async () => {
    const { chunk, arrive } = chunkArrivingLater();
    const { session, calls } = fakeSession();
    render(<WidgetRoot mode="inline" body={lazyBody(chunk)} session={session} />);
    box().focus();
    type('half a thought');
    arrive();
    await screen.findByRole('log');
    expect(box().value).toBe('half a thought');
    await Promise.resolve();
    expect(document.activeElement).toBe(box());
    expect(calls).toEqual([]);
  });
});
