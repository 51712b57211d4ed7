import type { Meta, StoryObj } from '@storybook/preact-vite';
import { expect, fn, within } from 'storybook/test';
import { en } from '../i18n/strings.js';
import { ConnectionBanner } from './ConnectionBanner.js';

const meta = {
  component: ConnectionBanner,
  args: {
    connection: 'reconnecting',
    reconnectingLabel: en.reconnecting,
    offlineLabel: en.offline,
    unreachableLabel: en.unreachable,
    retryLabel: en.retry,
    onReconnect: fn(),
  },
} satisfies Meta<typeof ConnectionBanner>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Reconnecting: Story = {};
export const Offline: Story = { args: { connection: 'offline' } };
/** Online, but the server has not answered (down, or refusing the page's origin): said, with Retry. */
export const Unreachable: Story = {
  args: { unreachableAfterMs: 0 },
  play: async ({ canvasElement, args }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('alert')).toHaveTextContent(en.unreachable);
    (await canvas.findByRole('button', { name: en.retry })).click();
    await expect(args.onReconnect).toHaveBeenCalled();
  },
};
