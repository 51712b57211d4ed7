import type { Meta, StoryObj } from '@storybook/preact-vite';
import { expect, fn } from 'storybook/test';
import { Composer } from './Composer.js';

const meta = {
  component: Composer,
  args: { label: 'Message', placeholder: 'Ask a question…', sendLabel: 'Send', onSend: fn() },
} satisfies Meta<typeof Composer>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Empty: Story = {};
export const Disabled: Story = { args: { disabled: true } };

export const EnterSendsShiftEnterBreaks: Story = {
  play: async ({ args, canvas, userEvent }) => {
    const box = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(box, 'first line{Shift>}{Enter}{/Shift}second line');
    await expect(args.onSend).not.toHaveBeenCalled();
    await userEvent.keyboard('{Enter}');
    await expect(args.onSend).toHaveBeenCalledWith('first line\nsecond line');
    await expect(box).toHaveValue('');
  },
};

export const KeepsDraftOnFailure: Story = {
  args: { onSend: fn(() => Promise.reject(new Error('offline'))) },
  play: async ({ canvas, userEvent }) => {
    const box = canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(box, 'do not lose me{Enter}');
    await expect(box).toHaveValue('do not lose me');
  },
};
