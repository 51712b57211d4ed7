import type { Meta, StoryObj } from '@storybook/preact-vite';
import { expect, fn, waitFor } from 'storybook/test';
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

/** A long draft grows the box up to its maximum height (200 px by default), then it scrolls. */
export const GrowsWithTheDraft: Story = {
  play: async ({ canvas, userEvent }) => {
    const box = canvas.getByRole('textbox', { name: 'Message' });
    const empty = box.getBoundingClientRect().height;
    await userEvent.type(box, 'one{Shift>}{Enter}{/Shift}two{Shift>}{Enter}{/Shift}three');
    await waitFor(() => expect(box.getBoundingClientRect().height).toBeGreaterThan(empty + 30));
    await userEvent.clear(box);
    await userEvent.paste('A long message. '.repeat(400));
    await waitFor(() => expect(Math.round(box.getBoundingClientRect().height)).toBe(200));
    await expect(box.scrollHeight).toBeGreaterThan(box.clientHeight);
  },
};
