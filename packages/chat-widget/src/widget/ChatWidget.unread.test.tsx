import { act, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { fakeSession, item, task } from '../../test/fake-session.js';
import { ChatWidget } from './ChatWidget.js';

const question = item({ id: 'm1', role: 'user', content: 'Hello', taskId: 't1' });
const reply = (n: number) => item({ id: `r${n}`, role: 'assistant', content: `Reply ${n}`, taskId: `t${n}` });
const launcher = () => screen.getByRole('button', { name: 'Open chat' });

/** A reply this page watched being made arrives: its task ran, then its message came. */
async function arrive(session: ReturnType<typeof fakeSession>['session'], n: number) {
  await act(() => session.$activeTask.set({ ...task('processing'), id: `t${n}` }));
  await act(() => {
    session.$messages.set([...session.$messages.get(), reply(n)]);
    session.$activeTask.set(null);
  });
}

describe('the unread badge', () => {
  it('counts replies that arrive while the bubble is closed, announces them politely, and clears on open', async () => {
    const { session } = fakeSession([question]);
    const { container } = render(<ChatWidget session={session} />);
    expect(container.querySelector('.acw-badge')).toBeNull();
    await arrive(session, 1);
    await waitFor(() => expect(container.querySelector('.acw-badge')?.getAttribute('data-count')).toBe('1'));
    const described = launcher().getAttribute('aria-describedby')!;
    const region = container.querySelector(`[id="${described}"]`)!;
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(region.textContent).toBe('1 new reply');
    await arrive(session, 2);
    await waitFor(() => expect(region.textContent).toBe('2 new replies'));
    expect(container.querySelector('.acw-badge')?.getAttribute('aria-hidden')).toBe('true');

    fireEvent.click(launcher());
    expect(container.querySelector('.acw-badge')).toBeNull();
    fireEvent.click(screen.getAllByRole('button', { name: 'Close chat' })[0]!);
    await waitFor(() => expect(launcher().hasAttribute('aria-describedby')).toBe(false));
    expect(region.textContent).toBe('');
  });

  it('does not count history, nor replies that arrive while the panel is open', async () => {
    const { session } = fakeSession();
    const { container } = render(<ChatWidget session={session} open />);
    session.$messages.set([question, reply(1)]); // history: never watched being made
    await arrive(session, 2); // open: read as it comes
    fireEvent.click(screen.getAllByRole('button', { name: 'Close chat' })[0]!);
    session.$messages.set([question, reply(1), reply(2), item({ id: 'old', role: 'assistant', content: 'Old', taskId: 'x' })]);
    await act(() => {});
    expect(container.querySelector('.acw-badge')).toBeNull();
  });

  it('puts the count before the page title when asked, and takes it away on open', async () => {
    document.title = 'Shop';
    const { session } = fakeSession([question]);
    render(<ChatWidget session={session} unreadTitle />);
    await arrive(session, 1);
    await waitFor(() => expect(document.title).toBe('(1) Shop'));
    await arrive(session, 2);
    await waitFor(() => expect(document.title).toBe('(2) Shop'));
    fireEvent.click(launcher());
    await waitFor(() => expect(document.title).toBe('Shop'));
  });

  it('leaves the page title alone by default', async () => {
    document.title = 'Shop';
    const { session } = fakeSession([question]);
    const { container } = render(<ChatWidget session={session} />);
    await arrive(session, 1);
    await waitFor(() => expect(container.querySelector('.acw-badge')).toBeTruthy());
    expect(document.title).toBe('Shop');
  });

  it('chimes once per new reply when asked, and never by default', async () => {
    const started: number[] = [];
    class FakeAudio {
      currentTime = 0;
      destination = {};
      createGain = () => ({ connect() {}, gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} } });
      createOscillator = () => ({ frequency: { value: 0 }, connect() {}, start: (at: number) => started.push(at), stop() {} });
      close = async () => {};
    }
    vi.stubGlobal('AudioContext', FakeAudio);
    const quiet = fakeSession([question]);
    const first = render(<ChatWidget session={quiet.session} />);
    await arrive(quiet.session, 1);
    expect(started).toEqual([]);
    first.unmount();
    const { session } = fakeSession([question]);
    render(<ChatWidget session={session} unreadSound />);
    await arrive(session, 1);
    await waitFor(() => expect(started).toHaveLength(2)); // two notes
    await arrive(session, 2);
    await waitFor(() => expect(started).toHaveLength(4));
    vi.unstubAllGlobals();
  });
});
