import type { Meta, StoryObj } from '@storybook/preact-vite';
import { expect, waitFor } from 'storybook/test';
import { memorySession } from '../stories/memory-session.js';
import { streamedReply } from '../stories/sample-content.js';
import { ChatWidget } from './ChatWidget.js';

/**
 * Streamed replies on the SDK's in-memory fake server: the status until the first words, the
 * reply growing in its bubble, Stop keeping what was written, a failure mid-reply and Retry.
 */
const meta = {
  title: 'ChatWidget/Streaming',
  component: ChatWidget,
  args: { mode: 'inline', title: 'Support', subtitle: 'Streaming on the memory transport', welcome: false },
  loaders: [
    async () =>
      memorySession({ stepDelayMs: 300, replyDelayMs: 300, reply: () => streamedReply, streamChunkChars: 12, streamChunkDelayMs: 60 }),
  ],
  render: (args, { loaded }) => <ChatWidget {...args} session={loaded.session} />,
  decorators: [
    (Story) => (
      <div style={{ height: '560px', display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ChatWidget>;
export default meta;
type Story = StoryObj<typeof meta>;

const TIMEOUT = { timeout: 15_000 };
const reply = (canvasElement: HTMLElement) => canvasElement.querySelectorAll<HTMLElement>('.acw-log .acw-msg')[1];

export const FirstWordsPending: Story = {
  loaders: [async () => memorySession({ stepDelayMs: 300, replyDelayMs: 600_000, streamChunkChars: 12 })],
  play: async ({ canvas, canvasElement, userEvent }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'How do plans work?{Enter}');
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('AI is thinking…'), TIMEOUT);
    // The status sits in the reply's own bubble, which the first words will fill.
    const bubble = reply(canvasElement)!;
    await expect(bubble).toContainElement(canvas.getByRole('status'));
    await expect(bubble).toHaveAttribute('aria-busy', 'true');
    await expect(canvas.getByRole('button', { name: 'Stop' })).toBeEnabled();
  },
};

export const ReplyGrowsInPlace: Story = {
  play: async ({ canvas, canvasElement, userEvent }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'How do plans work?{Enter}');
    await waitFor(() => expect(canvas.getByRole('status')).toBeVisible(), TIMEOUT);
    const bubble = reply(canvasElement)!;
    // Words arrive while the reply is still being made, in the same bubble…
    await waitFor(() => expect(bubble.querySelector('p')?.textContent?.length).toBeGreaterThan(10), TIMEOUT);
    await expect(bubble).toHaveAttribute('aria-busy', 'true');
    await expect(canvas.queryByRole('status')).toBeNull();
    const partial = bubble.textContent!;
    await waitFor(() => expect(bubble.textContent!.length).toBeGreaterThan(partial.length), TIMEOUT);
    // …until it is stored: the same node, finished, and announced once.
    await waitFor(() => expect(bubble).not.toHaveAttribute('aria-busy'), TIMEOUT);
    await expect(reply(canvasElement)).toBe(bubble);
    await expect(bubble.querySelector('pre')).toHaveTextContent("await chat.send('Upgrade me');");
    await expect(canvas.queryByRole('button', { name: 'Stop' })).toBeNull();
    const announcer = canvasElement.querySelector('.acw-sr[aria-live="polite"]');
    await waitFor(() => expect(announcer).toHaveTextContent(/^Assistant: Plans.*Upgrade me/), TIMEOUT);
  },
};

export const StoppedMidReply: Story = {
  loaders: [
    async () =>
      memorySession({ stepDelayMs: 200, replyDelayMs: 200, reply: () => streamedReply, streamChunkChars: 6, streamChunkDelayMs: 150 }),
  ],
  play: async ({ canvas, canvasElement, userEvent }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'How do plans work?{Enter}');
    const bubble = await waitFor(() => {
      const found = reply(canvasElement);
      expect(found?.querySelector('p')).toBeTruthy();
      return found!;
    }, TIMEOUT);
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(bubble.querySelector('.acw-note')).toHaveTextContent('Stopped.'), TIMEOUT);
    await expect(bubble.querySelector('p')).toBeTruthy(); // the words so far stay
    await expect(bubble).not.toHaveAttribute('aria-busy');
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toHaveFocus();
    await expect(canvas.queryByRole('button', { name: 'Stop' })).toBeNull();
  },
};

export const FailedMidReplyThenRetried: Story = {
  loaders: [
    async () => {
      const made = memorySession({
        stepDelayMs: 200,
        replyDelayMs: 200,
        reply: () => streamedReply,
        streamChunkChars: 12,
        streamChunkDelayMs: 40,
      });
      made.transport.failNext(1, { code: 'llm_error', message: 'The stream broke', retryable: false }, { afterChars: 60 });
      return made;
    },
  ],
  play: async ({ canvas, canvasElement, userEvent }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'How do plans work?{Enter}');
    const alert = await canvas.findByRole('alert', {}, TIMEOUT);
    await expect(alert).toHaveTextContent('The AI service could not answer.');
    const bubble = reply(canvasElement)!;
    await expect(bubble.querySelector('.acw-note')).toHaveTextContent('Interrupted.');
    await expect(bubble.textContent).toContain('Plans');
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    // The retry starts over in the same bubble and finishes without the mark.
    await waitFor(() => expect(bubble.querySelector('pre')).toHaveTextContent("await chat.send('Upgrade me');"), TIMEOUT);
    await waitFor(() => expect(bubble).not.toHaveAttribute('aria-busy'), TIMEOUT);
    await expect(bubble.querySelector('.acw-note')).toBeNull();
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};
