import type { Meta, StoryObj } from '@storybook/preact-vite';
import { expect, fireEvent, fn, waitFor } from 'storybook/test';
import { en } from '../i18n/strings.js';
import { conversation } from '../stories/sample-content.js';
import { MessageList } from './MessageList.js';

const meta = {
  component: MessageList,
  args: { strings: en, messages: conversation(3) },
  decorators: [
    (Story) => (
      <div style={{ height: '420px', display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof MessageList>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Short: Story = {};
export const Long: Story = { args: { messages: conversation(40), onLoadOlder: fn() } };
export const DeliveryStates: Story = {
  args: {
    onRetry: fn(),
    messages: [
      { id: '1', role: 'user', content: 'Sending now', delivery: 'sending' },
      { id: '2', role: 'user', content: 'Waiting for the network', delivery: 'queued' },
      { id: '3', role: 'user', content: 'This one failed', delivery: 'failed' },
    ],
  },
};

/** Scrolled up while a reply grows: the log stays where the reader is and offers the way back. */
export const JumpToLatest: Story = {
  args: { messages: conversation(12) },
  play: async ({ canvas }) => {
    const log = canvas.getByRole('log');
    log.scrollTop = 0;
    await fireEvent.scroll(log);
    const jump = await canvas.findByRole('button', { name: 'Jump to latest' });
    await jump.click();
    await waitFor(() => expect(log.scrollHeight - log.scrollTop - log.clientHeight).toBeLessThan(2));
    await expect(log).toHaveFocus();
    await expect(canvas.queryByRole('button', { name: 'Jump to latest' })).toBeNull();
  },
};
