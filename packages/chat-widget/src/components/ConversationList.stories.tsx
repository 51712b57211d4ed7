import type { Meta, StoryObj } from '@storybook/preact-vite';
import { expect, fn } from 'storybook/test';
import { de } from '../i18n/de.js';
import { fr } from '../i18n/fr.js';
import { en } from '../i18n/strings.js';
import { ConversationList } from './ConversationList.js';

const NOW = Date.parse('2026-12-01T17:30:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
const conversations = [
  { id: 'c1', title: 'Shipping to Norway', createdAt: ago(90), lastActivityAt: ago(3), lastMessage: null },
  {
    id: 'c2',
    title: null,
    createdAt: ago(3000),
    lastActivityAt: ago(2900),
    lastMessage: { role: 'assistant' as const, content: 'The Team plan is 12 € a month and includes ten seats.', createdAt: ago(2900) },
  },
  { id: 'c3', title: null, createdAt: ago(9000), lastActivityAt: ago(9000), lastMessage: null },
];

const meta = {
  component: ConversationList,
  args: { conversations, currentId: 'c1', strings: en, now: NOW, locale: 'en-US', onPick: fn(), onDelete: fn(async () => true) },
} satisfies Meta<typeof ConversationList>;
export default meta;
type Story = StoryObj<typeof meta>;

export const List: Story = {};
export const German: Story = { args: { strings: de, locale: 'de' } };
export const French: Story = { args: { strings: fr, locale: 'fr' } };
export const RightToLeft: Story = { parameters: { dir: 'rtl' }, args: { locale: 'he' } };
export const WithMore: Story = { args: { onLoadMore: fn() } };

/** Deleting asks first; focus starts on Cancel. */
export const ConfirmDelete: Story = {
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Delete conversation: Shipping to Norway' }));
    await expect(canvas.getByText(en.confirmDelete)).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await userEvent.click(canvas.getByRole('button', { name: 'Delete' }));
    await expect(args.onDelete).toHaveBeenCalledWith('c1');
  },
};

export const PickAndNew: Story = {
  play: async ({ args, canvas, userEvent }) => {
    await expect(canvas.getByRole('button', { name: 'New conversation' })).toHaveFocus();
    await expect(canvas.getByRole('button', { name: /^Shipping to Norway/ })).toHaveAttribute('aria-current', 'true');
    await userEvent.click(canvas.getByRole('button', { name: /^The Team plan/ }));
    await expect(args.onPick).toHaveBeenCalledWith('c2');
    await userEvent.click(canvas.getByRole('button', { name: 'New conversation' }));
    await expect(args.onPick).toHaveBeenCalledWith(null);
  },
};
