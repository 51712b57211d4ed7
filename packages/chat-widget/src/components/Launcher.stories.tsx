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

/** Replies arrived while the panel was closed: the count on the launcher, and its description. */
export const UnreadReplies: Story = { args: { unread: 3, unreadText: '3 new replies' } };
export const UnreadManyGerman: Story = {
  args: { unread: 120, unreadText: '120 neue Antworten', label: 'Chat öffnen', closeLabel: 'Chat schließen' },
};
export const UnreadFrench: Story = {
  args: { unread: 1, unreadText: '1 nouvelle réponse', label: 'Ouvrir la discussion', closeLabel: 'Fermer la discussion' },
};
/** Right to left: the launcher and its badge mirror to the other corner. */
export const UnreadRightToLeft: Story = { args: { unread: 2, unreadText: '2 new replies' }, parameters: { dir: 'rtl' } };
