import type { Meta, StoryObj } from '@storybook/preact-vite';
import { fn } from 'storybook/test';
import { en } from '../i18n/strings.js';
import { ErrorNotice } from './ErrorNotice.js';

const meta = {
  component: ErrorNotice,
  args: { message: en.errorFailed, retryLabel: 'Retry', onRetry: fn() },
} satisfies Meta<typeof ErrorNotice>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Failed: Story = {};
export const TimedOut: Story = { args: { message: en.errorTimeout } };
export const Offline: Story = { args: { message: en.errorOffline } };
