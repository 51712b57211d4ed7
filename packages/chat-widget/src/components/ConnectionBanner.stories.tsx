import type { Meta, StoryObj } from '@storybook/preact-vite';
import { en } from '../i18n/strings.js';
import { ConnectionBanner } from './ConnectionBanner.js';

const meta = {
  component: ConnectionBanner,
  args: { connection: 'reconnecting', reconnectingLabel: en.reconnecting, offlineLabel: en.offline },
} satisfies Meta<typeof ConnectionBanner>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Reconnecting: Story = {};
export const Offline: Story = { args: { connection: 'offline' } };
