import type { Meta, StoryObj } from '@storybook/preact-vite';
import { fn } from 'storybook/test';
import { Launcher } from './Launcher.js';

const meta = {
  component: Launcher,
  args: { open: false, label: 'Open chat', closeLabel: 'Close chat', onToggle: fn() },
} satisfies Meta<typeof Launcher>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Closed: Story = {};
export const Open: Story = { args: { open: true } };
