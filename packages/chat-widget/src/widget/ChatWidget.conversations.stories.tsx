import type { Meta, StoryObj } from '@storybook/preact-vite';
import { expect, waitFor } from 'storybook/test';
import { memorySession } from '../stories/memory-session.js';
import { ChatWidget } from './ChatWidget.js';

/**
 * Conversations, feedback, regenerate and edit on the SDK's in-memory fake server: the real
 * session and its commands, no network.
 */
const meta = {
  title: 'ChatWidget/Conversations',
  component: ChatWidget,
  args: { mode: 'inline', title: 'Support', welcome: false },
  loaders: [async () => memorySession({ stepDelayMs: 50, replyDelayMs: 50 })],
  render: (args, { loaded }) => <ChatWidget {...args} session={loaded.session} />,
  decorators: [
    (Story) => (
      <div style={{ height: '560px', display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ChatWidget>;
export default meta;
type Story = StoryObj<typeof meta>;

const TIMEOUT = { timeout: 10_000 };

/** Two conversations: a new one from the switcher, back to the first, then the second deleted. */
export const TwoConversationsSwitchAndDelete: Story = {
  play: async ({ canvas, userEvent }) => {
    const box = () => canvas.getByRole('textbox', { name: 'Message' });
    await userEvent.type(box(), 'About shipping{Enter}');
    await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent('Demo reply'), TIMEOUT);
    await userEvent.click(canvas.getByRole('button', { name: 'Conversations' }));
    await userEvent.click(canvas.getByRole('button', { name: 'New conversation' }));
    await expect(box()).toHaveFocus();
    await userEvent.type(box(), 'About prices{Enter}');
    await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent('About prices'), TIMEOUT);
    await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent('Demo reply'), TIMEOUT);

    await userEvent.click(canvas.getByRole('button', { name: 'Conversations' }));
    await userEvent.click(await canvas.findByRole('button', { name: /^About shipping/ }, TIMEOUT));
    await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent('About shipping'), TIMEOUT);
    await expect(canvas.getByRole('log')).not.toHaveTextContent('About prices');

    await userEvent.click(canvas.getByRole('button', { name: 'Conversations' }));
    await userEvent.click(await canvas.findByRole('button', { name: 'Delete conversation: About prices' }, TIMEOUT));
    await userEvent.click(canvas.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(canvas.queryByRole('button', { name: /^About prices/ })).toBeNull(), TIMEOUT);
    await expect(canvas.getByRole('button', { name: /^About shipping/ })).toBeVisible();
  },
};

/** A thumbs down with a comment, then Regenerate replaces the reply, then the question is edited. */
export const RateRegenerateEdit: Story = {
  play: async ({ canvas, userEvent }) => {
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'Opening hours?{Enter}');
    const bad = await canvas.findByRole('button', { name: 'Bad reply' }, TIMEOUT);
    await userEvent.click(bad);
    await userEvent.type(canvas.getByRole('textbox', { name: 'What was wrong? (optional)' }), 'Too vague');
    await userEvent.click(canvas.getByRole('button', { name: 'Send feedback' }));
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Bad reply' })).toHaveAttribute('aria-pressed', 'true'), TIMEOUT);

    await userEvent.click(canvas.getByRole('button', { name: 'Regenerate' }));
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Bad reply' })).toHaveAttribute('aria-pressed', 'false'), TIMEOUT);
    await expect(canvas.getByRole('log').querySelectorAll('.acw-msg[data-role="assistant"]')).toHaveLength(1);

    await userEvent.click(await canvas.findByRole('button', { name: 'Edit' }, TIMEOUT));
    const edit = canvas.getByRole('textbox', { name: 'Edit your message' });
    await userEvent.clear(edit);
    await userEvent.type(edit, 'Opening hours on Sunday?');
    await userEvent.click(canvas.getByRole('button', { name: 'Send again' }));
    await waitFor(() => expect(canvas.getByRole('log')).toHaveTextContent('Opening hours on Sunday?'), TIMEOUT);
    await waitFor(() => expect(canvas.getByRole('log').querySelectorAll('.acw-msg[data-role="user"]')).toHaveLength(1), TIMEOUT);
  },
};

export const ConversationsGerman: Story = { args: { locale: 'de' } };
export const ConversationsRightToLeft: Story = { args: { locale: 'ar' } };
