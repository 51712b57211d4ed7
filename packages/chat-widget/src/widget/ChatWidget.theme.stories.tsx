import type { Meta, StoryObj } from '@storybook/preact-vite';
import type { ComponentChildren } from 'preact';
import { useLayoutEffect } from 'preact/hooks';
import { expect, waitFor } from 'storybook/test';
import { memorySession } from '../stories/memory-session.js';
import { ChatWidget } from './ChatWidget.js';

/** Sets something on the story page's `<html>` while the story is shown, as a host page's theme switch would. */
function HostPage({ apply, children }: { apply: (html: HTMLElement) => () => void; children: ComponentChildren }) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: applied once while the story is shown, undone after it.
  useLayoutEffect(() => apply(document.documentElement), []);
  return <>{children}</>;
}

/** `theme="auto"` follows the host page: its color-scheme, or the site owner's `darkSelector`. */
const meta = {
  title: 'ChatWidget/Theme',
  component: ChatWidget,
  args: { mode: 'inline', title: 'Support', theme: 'auto' },
  loaders: [async () => memorySession()],
  render: (args, { loaded }) => <ChatWidget {...args} session={loaded.session} />,
} satisfies Meta<typeof ChatWidget>;
export default meta;
type Story = StoryObj<typeof meta>;

const scheme = (canvasElement: HTMLElement) => canvasElement.querySelector('.acw .acw')?.getAttribute('data-theme');

export const FollowsTheDarkPageSelector: Story = {
  args: { darkSelector: '.dark' },
  decorators: [
    (Story) => (
      <HostPage
        apply={(html) => {
          html.classList.add('dark');
          return () => html.classList.remove('dark');
        }}
      >
        <Story />
      </HostPage>
    ),
  ],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(scheme(canvasElement)).toBe('dark'));
    document.documentElement.classList.remove('dark');
    await waitFor(() => expect(scheme(canvasElement)).toBe('light'));
    document.documentElement.classList.add('dark');
    await waitFor(() => expect(scheme(canvasElement)).toBe('dark'));
  },
};

export const FollowsThePageColorScheme: Story = {
  decorators: [
    (Story) => (
      <HostPage
        apply={(html) => {
          html.style.colorScheme = 'dark';
          return () => html.style.removeProperty('color-scheme');
        }}
      >
        <Story />
      </HostPage>
    ),
  ],
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(scheme(canvasElement)).toBe('dark'));
  },
};
