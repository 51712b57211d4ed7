import type { Meta, StoryObj } from '@storybook/preact-vite';
import { fn } from 'storybook/test';
import { de } from '../i18n/de.js';
import { en } from '../i18n/strings.js';
import { conversation, longWords, markdownReply } from '../stories/sample-content.js';
import { ChatShell } from './ChatShell.js';

const question = { id: 'q', role: 'user' as const, content: 'How do I reset my password?', delivery: 'sent' as const };

/** Every state of the chat panel from plain props; `ChatWidget` stories show the live flows. */
const meta = {
  component: ChatShell,
  args: {
    strings: en,
    mode: 'inline',
    title: 'Support',
    subtitle: 'Answers in about a minute',
    messages: [],
    task: null,
    connection: 'live',
    suggestions: ['What can you do?', 'How much does it cost?'],
    onSend: fn(),
    onStop: fn(),
    onRetry: fn(),
  },
  decorators: [
    (Story) => (
      <div style={{ height: '560px', display: 'flex' }}>
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof ChatShell>;
export default meta;
type Story = StoryObj<typeof meta>;

export const EmptyWelcome: Story = {};
export const LongConversation: Story = { args: { messages: conversation(30), onLoadOlder: fn() } };
export const StatusPending: Story = { args: { messages: [question], task: { status: 'pending', statusMessage: null, error: null } } };
export const StatusReading: Story = {
  args: { messages: [question], task: { status: 'processing', statusMessage: 'Reading the conversation…', error: null } },
};
export const StatusThinking: Story = {
  args: { messages: [question], task: { status: 'processing', statusMessage: 'AI is thinking…', error: null } },
};
export const SlowReplyWithElapsedTime: Story = {
  args: {
    messages: [question],
    now: () => 65_000,
    task: { status: 'processing', statusMessage: 'AI is thinking…', error: null, startedAt: 0 },
  },
};
export const Stopping: Story = {
  args: { messages: [question], task: { status: 'processing', statusMessage: 'AI is thinking…', error: null, cancelRequested: true } },
};
export const StreamingReply: Story = {
  args: {
    messages: [
      question,
      {
        id: 'reply:t1',
        role: 'assistant',
        content: 'To reset it, open **Settings → Security** and choose',
        status: 'streaming',
        taskId: 't1',
      },
    ],
    task: { id: 't1', status: 'processing', statusMessage: 'AI is thinking…', error: null },
  },
};
export const StoppedMidReply: Story = {
  args: {
    messages: [question, { id: 'reply:t1', role: 'assistant', content: 'To reset it, open **Settings**', status: 'stopped', taskId: 't1' }],
  },
};
export const StoppedBeforeAnyWords: Story = {
  args: { messages: [question, { id: 'reply:t1', role: 'assistant', content: '', status: 'stopped', taskId: 't1' }] },
};
export const InterruptedByAFailure: Story = {
  args: {
    messages: [
      question,
      { id: 'reply:t1', role: 'assistant', content: 'To reset it, open **Settings → Security** and', status: 'interrupted', taskId: 't1' },
    ],
    task: { id: 't1', status: 'failed', statusMessage: null, error: { code: 'llm_error', message: 'stream broke', retryable: false } },
  },
};
export const Failed: Story = {
  args: {
    messages: [question],
    task: { status: 'failed', statusMessage: null, error: { code: 'llm_error', message: 'upstream 502', retryable: false } },
  },
};
export const TimedOut: Story = {
  args: {
    messages: [question],
    task: { status: 'failed', statusMessage: null, error: { code: 'timeout', message: 'deadline passed', retryable: false } },
  },
};
export const Reconnecting: Story = {
  args: { messages: [question], connection: 'reconnecting', task: { status: 'processing', statusMessage: 'AI is thinking…', error: null } },
};
export const OfflineWithQueuedMessages: Story = {
  args: {
    connection: 'offline',
    messages: [question, { id: 'q2', role: 'user', content: 'Also: can I change my e-mail?', delivery: 'queued' }],
  },
};
export const MarkdownHeavyReply: Story = { args: { messages: [question, { id: 'a', role: 'assistant', content: markdownReply }] } };
export const VeryLongWordsAndUrls: Story = {
  args: {
    messages: [
      { ...question, content: longWords },
      { id: 'a', role: 'assistant', content: longWords },
    ],
  },
};
export const German: Story = { args: { strings: de, title: undefined, subtitle: undefined, suggestions: ['Was kannst du?'] } };
export const RightToLeft: Story = {
  parameters: { dir: 'rtl' },
  args: {
    strings: { ...en, welcome: 'مرحبا! كيف يمكنني مساعدتك؟', send: 'إرسال', messageLabel: 'رسالة', placeholder: 'اكتب سؤالك…' },
    title: 'الدعم',
    subtitle: undefined,
    suggestions: [],
    messages: [
      { id: 'u', role: 'user', content: 'كيف أعيد تعيين كلمة المرور؟', delivery: 'sent' },
      { id: 'a', role: 'assistant', content: 'افتح **الإعدادات** ثم اختر *الأمان*.' },
    ],
  },
};
export const DarkTheme: Story = {
  parameters: { theme: 'dark' },
  args: { messages: [question, { id: 'a', role: 'assistant', content: markdownReply }] },
};
