import type { Meta, StoryObj } from '@storybook/preact-vite';
import { longWords, markdownReply } from '../stories/sample-content.js';
import { Message } from './Message.js';

const meta = {
  component: Message,
  args: { authorLabel: 'Assistant', message: { id: '1', role: 'assistant', content: 'Hello! How can I help?' } },
} satisfies Meta<typeof Message>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Assistant: Story = {};
export const User: Story = {
  args: { authorLabel: 'You', message: { id: '2', role: 'user', content: 'Plain text, even **this** and <b>that</b>.' } },
};
export const MarkdownHeavy: Story = { args: { message: { id: '3', role: 'assistant', content: markdownReply } } };
export const ImagesAllowed: Story = {
  args: { allowImages: true, message: { id: '4', role: 'assistant', content: 'A picture: ![blue square](https://example.com/none.png)' } },
};
export const VeryLongWords: Story = { args: { message: { id: '5', role: 'assistant', content: longWords } } };
export const Streaming: Story = {
  args: { message: { id: 'reply:t1', role: 'assistant', content: 'Here is what I found so **far**', status: 'streaming', taskId: 't1' } },
};
export const Stopped: Story = {
  args: {
    note: 'Stopped.',
    message: { id: 'reply:t1', role: 'assistant', content: 'Here is what I found', status: 'stopped', taskId: 't1' },
  },
};
export const Interrupted: Story = {
  args: {
    note: 'Interrupted.',
    message: { id: 'reply:t1', role: 'assistant', content: 'Here is what I', status: 'interrupted', taskId: 't1' },
  },
};
