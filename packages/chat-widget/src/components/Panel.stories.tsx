import type { Meta, StoryObj } from '@storybook/preact-vite';
import { fn } from 'storybook/test';
import { Panel } from './Panel.js';

const meta = {
  component: Panel,
  args: {
    title: 'Support',
    subtitle: 'Usually answers in a minute',
    mode: 'inline',
    closeLabel: 'Close chat',
    children: <p style={{ padding: '1em' }}>Panel body</p>,
  },
} satisfies Meta<typeof Panel>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Inline: Story = {};
export const WithClose: Story = { args: { onClose: fn() } };
