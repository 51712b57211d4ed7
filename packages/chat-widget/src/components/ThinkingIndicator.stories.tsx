import type { Meta, StoryObj } from '@storybook/preact-vite';
import { ThinkingIndicator } from './ThinkingIndicator.js';

/** The indicator in the reply bubble it lives in until the first words arrive. */
const meta = {
  component: ThinkingIndicator,
  args: { statusMessage: null, fallback: 'AI is thinking…', elapsedLabel: '{seconds} s' },
  decorators: [
    (Story) => (
      <div class="acw-msg" data-role="assistant" data-status="streaming" aria-busy="true" style={{ width: 'fit-content' }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ThinkingIndicator>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Pending: Story = {};
export const ReadingTheConversation: Story = { args: { statusMessage: 'Reading the conversation…' } };
export const AiIsThinking: Story = { args: { statusMessage: 'AI is thinking…' } };
export const SearchingTheDocs: Story = { args: { statusMessage: 'Searching the help centre…' } };
export const SlowWithElapsedTime: Story = { args: { statusMessage: 'AI is thinking…', startedAt: 0, now: () => 47_000 } };
