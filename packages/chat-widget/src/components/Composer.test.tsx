import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer.js';

const setup = (onSend: (text: string) => unknown, disabled = false) => {
  render(<Composer label="Message" placeholder="Ask…" sendLabel="Send" onSend={onSend} disabled={disabled} />);
  return {
    area: screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement,
    send: screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement,
  };
};

const type = (area: HTMLTextAreaElement, text: string) => {
  area.value = text;
  fireEvent.input(area);
};

describe('Composer', () => {
  it('sends on Enter and clears the draft', async () => {
    const onSend = vi.fn();
    const { area } = setup(onSend);
    type(area, '  hello  ');
    fireEvent.keyDown(area, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledWith('hello');
    await waitFor(() => expect(area.value).toBe(''));
  });

  it('does not send on Shift+Enter (a new line)', () => {
    const onSend = vi.fn();
    const { area } = setup(onSend);
    type(area, 'line');
    fireEvent.keyDown(area, { key: 'Enter', shiftKey: true });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('sends from the button, which is disabled while empty', () => {
    const onSend = vi.fn();
    const { area, send } = setup(onSend);
    expect(send.disabled).toBe(true);
    type(area, 'x');
    expect(send.disabled).toBe(false);
    fireEvent.click(send);
    expect(onSend).toHaveBeenCalledWith('x');
  });

  it('keeps the draft when sending fails', async () => {
    const { area } = setup(() => Promise.reject(new Error('offline')));
    type(area, 'keep me');
    fireEvent.keyDown(area, { key: 'Enter' });
    await waitFor(() => expect(area.value).toBe('keep me'));
  });

  it('keeps the draft when sending throws', async () => {
    const { area } = setup(() => {
      throw new Error('nope');
    });
    type(area, 'keep me too');
    fireEvent.keyDown(area, { key: 'Enter' });
    await waitFor(() => expect(area.value).toBe('keep me too'));
  });

  it('does not send while disabled', () => {
    const onSend = vi.fn();
    const { area, send } = setup(onSend, true);
    type(area, 'x');
    fireEvent.keyDown(area, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    expect(send.disabled).toBe(true);
  });

  it('stops the reply from Stop beside Send, then focus is back in the message box', () => {
    const onStop = vi.fn();
    render(<Composer label="Message" placeholder="Ask…" sendLabel="Send" onSend={vi.fn()} stopLabel="Stop" onStop={onStop} />);
    const stop = screen.getByRole('button', { name: 'Stop' }) as HTMLButtonElement;
    expect(stop.type).toBe('button'); // never submits the draft
    expect(stop.nextElementSibling?.textContent).toBe('Send');
    fireEvent.click(stop);
    expect(onStop).toHaveBeenCalledOnce();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' }));
  });

  it('shows Stop only while asked to, disabled once a stop is under way', () => {
    const { rerender } = render(<Composer label="Message" placeholder="Ask…" sendLabel="Send" onSend={vi.fn()} />);
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    rerender(<Composer label="Message" placeholder="Ask…" sendLabel="Send" onSend={vi.fn()} stopLabel="Stopping…" />);
    expect((screen.getByRole('button', { name: 'Stopping…' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
