import type { Meta, StoryObj } from '@storybook/preact-vite';
import { expect, fireEvent, fn, waitFor } from 'storybook/test';
import { de } from '../i18n/de.js';
import { fr } from '../i18n/fr.js';
import { en } from '../i18n/strings.js';
import { conversation } from '../stories/sample-content.js';
import { MessageList } from './MessageList.js';

const meta = {
  component: MessageList,
  args: { strings: en, messages: conversation(3) },
  decorators: [
    (Story) => (
      <div style={{ height: '420px', display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof MessageList>;
export default meta;
type Story = StoryObj<typeof meta>;

export const Short: Story = {};
export const Long: Story = { args: { messages: conversation(40), onLoadOlder: fn() } };
export const DeliveryStates: Story = {
  args: {
    onRetry: fn(),
    messages: [
      { id: '1', role: 'user', content: 'Sending now', delivery: 'sending' },
      { id: '2', role: 'user', content: 'Waiting for the network', delivery: 'queued' },
      { id: '3', role: 'user', content: 'This one failed', delivery: 'failed' },
    ],
  },
};

/** Scrolled up while a reply grows: the log stays where the reader is and offers the way back. */
export const JumpToLatest: Story = {
  args: { messages: conversation(12) },
  play: async ({ canvas }) => {
    const log = canvas.getByRole('log');
    log.scrollTop = 0;
    await fireEvent.scroll(log);
    const jump = await canvas.findByRole('button', { name: 'Jump to latest' });
    await jump.click();
    await waitFor(() => expect(log.scrollHeight - log.scrollTop - log.clientHeight).toBeLessThan(2));
    await expect(log).toHaveFocus();
    await expect(canvas.queryByRole('button', { name: 'Jump to latest' })).toBeNull();
  },
};

const NOW = Date.parse('2026-12-01T17:30:00Z');
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
const timed = [
  { id: 't1', role: 'user' as const, content: 'What does the Team plan cost?', createdAt: ago(60 * 30), delivery: 'sent' as const },
  { id: 't2', role: 'assistant' as const, content: 'The **Team** plan is 12 € a month.', createdAt: ago(60 * 30 - 1), taskId: 'x1' },
  { id: 't3', role: 'user' as const, content: 'And for ten seats?', createdAt: ago(4), delivery: 'sent' as const },
  { id: 't4', role: 'assistant' as const, content: 'Ten seats are included.', createdAt: ago(0.2), taskId: 'x2' },
  { id: 'reply:x3', role: 'assistant' as const, content: 'Let me also', createdAt: ago(0.1), taskId: 'x3', status: 'stopped' as const },
];

/** Times under each message (relative while recent, the full date on hover and focus) and a reply's copy buttons. */
export const TimesAndCopy: Story = {
  args: { messages: timed, now: NOW, locale: 'en-US' },
  play: async ({ canvas, userEvent }) => {
    await expect(canvas.getAllByRole('button', { name: 'Copy' })).toHaveLength(3);
    await userEvent.tab();
    await userEvent.tab();
    await expect(canvas.getAllByRole('button', { name: 'Copy' })[0]).toHaveFocus();
  },
};
export const TimesAndCopyGerman: Story = { args: { messages: timed, now: NOW, locale: 'de', strings: de } };
export const TimesAndCopyFrench: Story = { args: { messages: timed, now: NOW, locale: 'fr', strings: fr } };
export const TimesAndCopyRightToLeft: Story = { args: { messages: timed, now: NOW, locale: 'he' }, parameters: { dir: 'rtl' } };

const rated = [
  { id: 'q1', role: 'user' as const, content: 'Do you ship to Norway?', createdAt: ago(6), delivery: 'sent' as const },
  { id: 'a1', role: 'assistant' as const, content: 'Yes, in 3–5 days.', createdAt: ago(5), taskId: 'x1', feedback: null },
  { id: 'q2', role: 'user' as const, content: 'And to Iceland?', createdAt: ago(2), delivery: 'sent' as const, canEdit: true },
  { id: 'a2', role: 'assistant' as const, content: 'Not yet.', createdAt: ago(1), taskId: 'x2', canRegenerate: true },
];
const rateArgs = { now: NOW, locale: 'en-US', onRate: fn(async () => true), onRegenerate: fn(), onEdit: fn(async () => true) };

/** Thumbs up and down on stored replies, Regenerate on the last reply, Edit on the last question. */
export const FeedbackRegenerateEdit: Story = { args: { messages: rated, ...rateArgs } };
export const FeedbackGiven: Story = {
  args: {
    ...rateArgs,
    messages: rated.map((m) =>
      m.id === 'a1'
        ? { ...m, feedback: { messageId: 'a1', rating: 'up' as const, comment: null, createdAt: ago(1), updatedAt: ago(1) } }
        : m,
    ),
  },
};
export const FeedbackRegenerateEditGerman: Story = { args: { messages: rated, ...rateArgs, strings: de, locale: 'de' } };
export const FeedbackRegenerateEditFrench: Story = { args: { messages: rated, ...rateArgs, strings: fr, locale: 'fr' } };
export const FeedbackRegenerateEditRightToLeft: Story = {
  args: { messages: rated, ...rateArgs, locale: 'he' },
  parameters: { dir: 'rtl' },
};

/** A thumbs down is sent at once and asks what was wrong; the comment sends it again. */
export const ThumbsDownWithComment: Story = {
  args: { messages: rated, ...rateArgs },
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getAllByRole('button', { name: 'Bad reply' })[0]!);
    await expect(args.onRate).toHaveBeenCalledWith('a1', 'down', undefined);
    const box = canvas.getByRole('textbox', { name: en.feedbackComment });
    await expect(box).toHaveFocus();
    await userEvent.type(box, 'Wrong delivery time');
    await userEvent.click(canvas.getByRole('button', { name: en.sendFeedback }));
    await expect(args.onRate).toHaveBeenLastCalledWith('a1', 'down', 'Wrong delivery time');
    await expect(canvas.getAllByRole('button', { name: 'Bad reply' })[0]).toHaveAttribute('aria-pressed', 'true');
    await expect(canvas.queryByRole('textbox', { name: en.feedbackComment })).toBeNull();
  },
};

/** Edit puts the last question into a box in its place; Send again hands the new text over. */
export const EditLastMessage: Story = {
  args: { messages: rated, ...rateArgs },
  play: async ({ args, canvas, userEvent }) => {
    await userEvent.click(canvas.getByRole('button', { name: 'Edit' }));
    const box = canvas.getByRole('textbox', { name: en.editLabel });
    await expect(box).toHaveFocus();
    await expect(box).toHaveValue('And to Iceland?');
    await userEvent.clear(box);
    await userEvent.type(box, 'And to Greenland?');
    await userEvent.click(canvas.getByRole('button', { name: en.resend }));
    await expect(args.onEdit).toHaveBeenCalledWith('And to Greenland?');
    await expect(canvas.queryByRole('textbox', { name: en.editLabel })).toBeNull();
  },
};
