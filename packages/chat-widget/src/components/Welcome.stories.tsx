import type { Meta, StoryObj } from '@storybook/preact-vite';
import { fn } from 'storybook/test';
import { Welcome } from './Welcome.js';

const meta = {
  component: Welcome,
  args: {
    message: 'Hi! How can I help you today?',
    suggestions: ['What can you do?', 'How much does it cost?', 'Talk to a human'],
    suggestionsLabel: 'Suggested questions',
    onPick: fn(),
  },
} satisfies Meta<typeof Welcome>;
export default meta;
type Story = StoryObj<typeof meta>;

export const WithSuggestions: Story = {};
export const GreetingOnly: Story = { args: { suggestions: [] } };
