import type { UploadResult } from '@app/async-tasks/contract';
import type { Meta, StoryObj } from '@storybook/preact-vite';
import { useEffect } from 'preact/hooks';
import { expect, fn, waitFor } from 'storybook/test';
import { en } from '../../i18n/strings.js';
import { Composer } from '../Composer.js';
import { MessageFiles } from './MessageFiles.js';
import { type AttachmentOptions, useAttachments } from './use-attachments.js';

// A 2×2 PNG, so previews and thumbnails show a real image.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGNk+M/AwMDAxMDAwMDAAAAvEQMBLXU6fgAAAABJRU5ErkJggg==';
const pngFile = (name: string) => new File([Uint8Array.from(atob(PNG), (c) => c.charCodeAt(0))], name, { type: 'image/png' });
const dataUrl = `data:image/png;base64,${PNG}`;

const uploaded = (file: Blob, filename: string): UploadResult => ({
  id: `u-${filename}`,
  filename,
  mediaType: file.type,
  byteSize: file.size,
  width: 2,
  height: 2,
  url: dataUrl,
  urlExpiresAt: '2026-01-01T01:00:00.000Z',
  inline: true,
});

/** Uploads by name: `slow…` stays at 40 %, `broken…` fails, anything else is done at once. */
const upload: AttachmentOptions['upload'] = (file, { filename, onProgress }) => {
  if (filename.startsWith('slow')) {
    onProgress({ loaded: 4, total: 10 });
    return new Promise(() => {});
  }
  if (filename.startsWith('broken')) return Promise.reject(new Error('the file is larger than 10485760 bytes (UPLOAD_MAX_FILE_BYTES)'));
  return Promise.resolve(uploaded(file, filename));
};

function ComposerWithFiles({ files, onSend }: { files: string[]; onSend: (text: string) => void }) {
  const attachments = useAttachments({
    upload,
    accept: 'image/*,text/plain',
    maxFiles: 4,
    notAccepted: en.fileNotAccepted,
    tooMany: en.tooManyFiles,
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: the story's files, once.
  useEffect(() => attachments.add(files.map(pngFile)), []);
  return (
    <Composer
      label="Message"
      placeholder="Ask a question…"
      sendLabel="Send"
      onSend={onSend}
      attach={{ attachments, accept: 'image/*,text/plain', labels: en }}
    />
  );
}

const meta = {
  component: ComposerWithFiles,
  args: { files: ['screenshot.png'], onSend: fn() },
} satisfies Meta<typeof ComposerWithFiles>;
export default meta;
type Story = StoryObj<typeof meta>;

/** A file uploaded: its preview, Remove, and Send is enabled (files alone are a message). */
export const Ready: Story = {
  play: async ({ canvas }) => {
    await canvas.findByRole('button', { name: 'Remove screenshot.png' });
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Send' })).toBeEnabled());
  },
};

/** Still uploading: the progress bar, and Send waits. */
export const Uploading: Story = {
  args: { files: ['slow-scan.png'] },
  play: async ({ canvas }) => {
    const bar = await canvas.findByRole('progressbar', { name: 'Uploading slow-scan.png' });
    await expect(bar).toHaveAttribute('value', '40');
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
  },
};

/** A failed upload: its reason on the file, with Retry. */
export const Failed: Story = {
  args: { files: ['broken-photo.png', 'screenshot.png'] },
  play: async ({ canvas }) => {
    await expect(await canvas.findByRole('alert')).toHaveTextContent('larger than 10485760 bytes');
    await expect(canvas.getByRole('button', { name: 'Retry' })).toBeVisible();
  },
};

/** The files of a sent message in the thread: an image thumbnail that opens it, a document link. */
export const InTheThread: StoryObj<typeof MessageFiles> = {
  render: () => (
    <MessageFiles
      openLabel={en.openFile}
      files={[
        uploaded(pngFile('screenshot.png'), 'screenshot.png'),
        { ...uploaded(pngFile('x'), 'notes.txt'), mediaType: 'text/plain', inline: false, width: null, height: null, byteSize: 2300 },
      ]}
    />
  ),
  play: async ({ canvas }) => {
    await expect(canvas.getByRole('link', { name: 'Open screenshot.png' })).toHaveAttribute('target', '_blank');
    await expect(canvas.getByRole('img', { name: 'screenshot.png' })).toBeVisible();
  },
};
