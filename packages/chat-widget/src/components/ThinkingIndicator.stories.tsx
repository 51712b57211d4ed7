import type { Meta, StoryObj } from '@storybook/preact-vite';
import { ThinkingIndicator } from './ThinkingIndicator.js';

const meta = {
  component: ThinkingIndicator,
  args: { statusMessage: null, fallback: 'AI is thinking…', elapsedLabel: '{seconds} s' },
} satisfies Meta<typeof ThinkingIndicator>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Pending: Story = {};
export const ReadingTheConversation: Story = { args: { statusMessage: 'Reading the conversation…' } };
export const AiIsThinking: Story = { args: { statusMessage: 'AI is thinking…' } };
export const SearchingTheDocs: Story = { args: { statusMessage: 'Searching the help centre…' } };
export const SlowWithElapsedTime: Story = { args: { statusMessage: 'AI is thinking…', startedAt: 0, now: () => 47_000 } };
