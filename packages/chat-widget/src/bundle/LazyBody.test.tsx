import { act, fireEvent, render, screen } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { BodyProps } from '../widget/WidgetRoot.js';
import { WidgetRoot } from '../widget/WidgetRoot.js';
import { lazyBody } from './LazyBody.js';
import type { PanelChunk, PanelChunkState } from './panel-chunk-loader.js';

/** A panel chunk the test moves from state to state; `loads` counts the times it was asked for. */
function fakeChunk() {
  let state: PanelChunkState = { status: 'idle' };
  const listeners = new Set<(state: PanelChunkState) => void>();
  const chunk = {
    loads: 0,
    get: () => state,
    subscribe(listener: (state: PanelChunkState) => void) {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },
    load() {
      chunk.loads++;
      if (state.status === 'idle' || state.status === 'failed') chunk.set({ status: 'loading' });
    },
    set(next: PanelChunkState) {
      state = next;
      act(() => {
        for (const listener of [...listeners]) listener(state);
      });
    },
  } satisfies PanelChunk & Record<string, unknown>;
  return chunk;
}

/** A stand-in for the panel chunk's body: says what it was given. */
const seen: BodyProps[] = [];
function Body(props: BodyProps) {
  seen.push(props);
  return props.shown ? <p>conversation of {props.options.title}</p> : null;
}

describe('lazyBody (the script-tag bundle before its panel chunk is here)', () => {
  it('shows nothing while the bubble is closed; opening asks for the chunk at once and says it is loading', () => {
    const chunk = fakeChunk();
    render(<WidgetRoot title="Help" body={lazyBody(chunk)} onLauncherIntent={chunk.load} />);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(chunk.loads).toBe(0);
    fireEvent.click(screen.getByRole('button', { name: 'Open chat' }));
    expect(chunk.loads).toBe(1);
    const dialog = screen.getByRole('dialog', { name: 'Help' });
    expect(dialog.querySelector('[role=status]')?.textContent).toBe('Loading the chat…');
  });

  it('asks for the chunk when the pointer is over the launcher or it has focus', () => {
    const chunk = fakeChunk();
    render(<WidgetRoot body={lazyBody(chunk)} onLauncherIntent={chunk.load} />);
    fireEvent.pointerEnter(screen.getByRole('button', { name: 'Open chat' }));
    fireEvent.focus(screen.getByRole('button', { name: 'Open chat' }));
    expect(chunk.loads).toBe(2);
  });

  it('inline mode asks for the chunk at once, in a region named by the title', () => {
    const chunk = fakeChunk();
    render(<WidgetRoot mode="inline" title="Support" locale="de" body={lazyBody(chunk)} />);
    expect(chunk.loads).toBe(1);
    expect(screen.getByRole('region', { name: 'Support' }).textContent).toContain('Der Chat wird geladen…');
  });

  it('a chunk that failed: the reason with Retry, which asks for it again', () => {
    const chunk = fakeChunk();
    render(<WidgetRoot mode="inline" body={lazyBody(chunk)} />);
    chunk.set({ status: 'failed' });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The chat could not be loaded. Check your connection and try again.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(chunk.loads).toBe(2);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('Loading the chat…');
  });

  it("renders the chunk's body once it is here, kept mounted while the bubble is closed", () => {
    const chunk = fakeChunk();
    seen.length = 0;
    render(<WidgetRoot title="Help" body={lazyBody(chunk)} />);
    chunk.set({ status: 'loaded', panel: { Body } });
    expect(seen.at(-1)).toMatchObject({ shown: false, mode: 'bubble', options: { title: 'Help' } });
    fireEvent.click(screen.getByRole('button', { name: 'Open chat' }));
    expect(screen.getByText('conversation of Help')).toBeTruthy();
    expect(seen.at(-1)?.shown).toBe(true);
    expect(seen.at(-1)?.strings.openChat).toBe('Open chat');
  });
});
