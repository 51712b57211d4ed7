import type { Meta, StoryObj } from '@storybook/preact-vite';
import { expect, waitFor } from 'storybook/test';
import { memorySession } from '../stories/memory-session.js';
import { ChatWidget } from './ChatWidget.js';

/**
 * The connected widget on the SDK's in-memory fake server: real session, real status steps,
 * no network. Each story makes its own session in a loader.
 */
const meta = {
  component: ChatWidget,
  args: { mode: 'inline', title: 'Support', subtitle: 'Demo on the memory transport', suggestions: ['What can you do?'] },
  loaders: [async () => memorySession()],
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

export const Inline: Story = {};

export const Bubble: Story = { args: { mode: 'bubble' } };
export const BubbleOpen: Story = { args: { mode: 'bubble', open: true } };
export const Fullscreen: Story = { args: { mode: 'fullscreen' } };
export const Dark: Story = { args: { theme: 'dark' } };
export const GermanLocale: Story = { args: { locale: 'de', suggestions: [] } };

export const SendShowsStatusThenReply: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'Hello there{Enter}');
    await expect(await canvas.findByText('Hello there')).toBeVisible();
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('Reading the conversation…'), { timeout: 5000 });
    await waitFor(() => expect(canvas.getByRole('status')).toHaveTextContent('AI is thinking…'), { timeout: 5000 });
    await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent('Demo reply'), { timeout: 10_000 });
    await expect(canvas.queryByRole('status')).toBeNull();
  },
};

export const StopCancelsTheReply: Story = {
  loaders: [async () => memorySession({ stepDelayMs: 800, replyDelayMs: 60_000 })],
  play: async ({ canvas, userEvent }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'Take your time{Enter}');
    await userEvent.click(await canvas.findByRole('button', { name: 'Stop' }, { timeout: 5000 }));
    await waitFor(() => expect(canvas.queryByRole('status')).toBeNull(), { timeout: 5000 });
    await expect(canvas.getByRole('log')).not.toHaveTextContent('Demo reply');
    // Stopped before any words, the reply still leaves its mark.
    await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent('Assistant: Stopped.'), { timeout: 5000 });
  },
};

export const RetryAfterFailure: Story = {
  loaders: [
    async () => {
      const made = memorySession({ stepDelayMs: 100, replyDelayMs: 100 });
      made.transport.failNext(1, { code: 'llm_error', message: 'The model answered 502', retryable: false });
      return made;
    },
  ],
  play: async ({ canvas, userEvent }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'Please answer{Enter}');
    const alert = await canvas.findByRole('alert', {}, { timeout: 5000 });
    await expect(alert).toHaveTextContent('The AI service could not answer.');
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent('Demo reply'), { timeout: 10_000 });
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};
