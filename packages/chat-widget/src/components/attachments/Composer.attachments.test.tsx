import type { UploadResult } from '@app/async-tasks/contract';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { en } from '../../i18n/strings.js';
import { Composer } from '../Composer.js';
import { MessageFiles } from './MessageFiles.js';
import { type AttachmentOptions, useAttachments } from './use-attachments.js';

const result = (name: string): UploadResult => ({
  id: `id-${name}`,
  filename: name,
  mediaType: 'image/png',
  byteSize: 3,
  width: 1,
  height: 1,
  url: `https://chat.example/api/uploads/${name}`,
  urlExpiresAt: '2026-01-01T00:00:00.000Z',
  inline: true,
});

/** Uploads that the test settles by hand, one deferred promise per call. */
function controlledUploads() {
  const calls: {
    name: string;
    signal: AbortSignal;
    progress: (p: { loaded: number; total: number }) => void;
    resolve: () => void;
    reject: (e: Error) => void;
  }[] = [];
  const upload: AttachmentOptions['upload'] = (_file, { filename, signal, onProgress }) =>
    new Promise((resolve, reject) =>
      calls.push({ name: filename, signal, progress: onProgress, resolve: () => resolve(result(filename)), reject }),
    );
  return { calls, upload };
}

function Harness({
  upload,
  onSend,
  accept = 'image/*,text/plain',
}: {
  upload: AttachmentOptions['upload'];
  onSend: (text: string, files: UploadResult[]) => void;
  accept?: string;
}) {
  const attachments = useAttachments({ upload, accept, maxFiles: 2, notAccepted: en.fileNotAccepted, tooMany: en.tooManyFiles });
  return (
    <Composer
      label="Message"
      placeholder="Ask…"
      sendLabel="Send"
      onSend={(text) => {
        onSend(text, attachments.ready);
        attachments.clear();
      }}
      attach={{ attachments, accept, labels: en }}
    />
  );
}

const png = (name: string) => new File([new Uint8Array([1, 2, 3])], name, { type: 'image/png' });
const paste = (files: File[]) =>
  fireEvent.paste(screen.getByRole('textbox', { name: 'Message' }), { clipboardData: { files, types: ['Files'] } });

describe('Composer with attachments', () => {
  it('uploads a pasted image with progress, sends it (files alone are a message), then empties the tray', async () => {
    const { calls, upload } = controlledUploads();
    const onSend = vi.fn();
    render(<Harness upload={upload} onSend={onSend} />);
    paste([png('screenshot.png')]);
    const progress = await screen.findByRole('progressbar', { name: 'Uploading screenshot.png' });
    const send = screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement;
    expect(send.disabled).toBe(true);
    calls[0]!.progress({ loaded: 1, total: 2 });
    await waitFor(() => expect(progress.getAttribute('value')).toBe('50'));
    calls[0]!.resolve();
    await waitFor(() => expect(screen.queryByRole('progressbar')).toBeNull());
    expect(send.disabled).toBe(false);
    fireEvent.click(send);
    expect(onSend).toHaveBeenCalledWith('', [result('screenshot.png')]);
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Attachments' })).toBeNull());
  });

  it('shows why an upload failed on that file, and Retry uploads it again', async () => {
    const { calls, upload } = controlledUploads();
    render(<Harness upload={upload} onSend={vi.fn()} />);
    paste([png('a.png')]);
    await waitFor(() => expect(calls).toHaveLength(1));
    calls[0]!.reject(new Error('the file is larger than 10485760 bytes'));
    expect((await screen.findByRole('alert')).textContent).toBe('the file is larger than 10485760 bytes');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    calls[1]!.resolve();
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('Remove takes a file out and cancels its upload', async () => {
    const { calls, upload } = controlledUploads();
    render(<Harness upload={upload} onSend={vi.fn()} />);
    paste([png('a.png')]);
    await waitFor(() => expect(calls).toHaveLength(1));
    fireEvent.click(screen.getByRole('button', { name: 'Remove a.png' }));
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(screen.queryByRole('list', { name: 'Attachments' })).toBeNull();
  });

  it('refuses a type the site does not accept, and files past the most per message, without uploading them', async () => {
    const { calls, upload } = controlledUploads();
    render(<Harness upload={upload} onSend={vi.fn()} accept="image/*" />);
    paste([new File(['x'], 'tool.exe', { type: 'application/x-msdownload' }), png('1.png'), png('2.png'), png('3.png')]);
    const alerts = await screen.findAllByRole('alert');
    expect(alerts.map((a) => a.textContent)).toEqual(['This type of file cannot be sent here.', 'At most 2 files per message.']);
    expect(calls.map((c) => c.name)).toEqual(['1.png', '2.png']);
  });

  it('takes files dropped on the composer, and leaves a drop without files alone', async () => {
    const { calls, upload } = controlledUploads();
    render(<Harness upload={upload} onSend={vi.fn()} />);
    const form = screen.getByRole('textbox', { name: 'Message' }).closest('form')!;
    const over = fireEvent.dragOver(form, { dataTransfer: { types: ['Files'], files: [] } });
    expect(over).toBe(false); // default prevented: the composer is a drop target for files
    fireEvent.drop(form, { dataTransfer: { types: ['Files'], files: [png('dropped.png')] } });
    await waitFor(() => expect(calls.map((c) => c.name)).toEqual(['dropped.png']));
    expect(fireEvent.dragOver(form, { dataTransfer: { types: ['text/plain'], files: [] } })).toBe(true);
  });

  it('has an attach button that opens the file picker with the accepted types', () => {
    render(<Harness upload={controlledUploads().upload} onSend={vi.fn()} accept="image/png" />);
    const button = screen.getByRole('button', { name: 'Attach files' });
    const input = button.nextElementSibling as HTMLInputElement;
    expect(input.type).toBe('file');
    expect(input.accept).toBe('image/png');
    const click = vi.spyOn(input, 'click');
    fireEvent.click(button);
    expect(click).toHaveBeenCalled();
  });
});

describe('MessageFiles', () => {
  it('shows an image as a thumbnail that opens it full size, anything else as a named link with its size', () => {
    render(
      <MessageFiles
        openLabel="Open {name}"
        files={[
          result('shot.png'),
          { ...result('notes.txt'), mediaType: 'text/plain', inline: false, byteSize: 2048, width: null, height: null },
        ]}
      />,
    );
    const image = screen.getByRole('link', { name: 'Open shot.png' });
    expect(image.getAttribute('href')).toBe('https://chat.example/api/uploads/shot.png');
    expect(image.getAttribute('target')).toBe('_blank');
    expect(image.getAttribute('rel')).toBe('noopener noreferrer');
    expect(screen.getByRole('img', { name: 'shot.png' }).getAttribute('src')).toBe('https://chat.example/api/uploads/shot.png');
    expect(screen.getByRole('link', { name: 'Open notes.txt' }).textContent).toBe('notes.txt (2 KB)');
  });
});
