import { type ChatItem, type ChatSession, isActive, type TaskState } from '@app/async-tasks';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ChatShell } from '../components/ChatShell.js';
import { isRtlLocale, resolveStrings } from '../i18n/resolve-strings.js';
import type { ChatStrings } from '../i18n/strings.js';
import type { ChatMode, TaskView, ThemeMode } from '../types.js';
import { connectSession, type ConnectOptions } from './connect-session.js';
import type { MessageSentDetail, ReplyReceivedDetail, TaskFailedDetail } from './events.js';
import { Frame } from './Frame.js';
import { useStore } from './use-store.js';

/**
 * Everything `ChatWidget` takes; the `<async-chat>` attributes and properties are the same, camelCased.
 *
 * @example
 * const props: ChatWidgetProps = { serverUrl: 'https://chat.example.com', mode: 'inline', locale: 'de' };
 */
export interface ChatWidgetProps extends ConnectOptions {
  /**
   * A ready chat session (`connectSession`, the SDK's `createChatSession`, or a host that shares
   * one); `serverUrl`/`client` are then ignored and the widget does not destroy it.
   */
  session?: ChatSession;
  title?: string;
  subtitle?: string;
  avatarUrl?: string;
  /** `bubble` (default): launcher + floating panel; `inline`: fills its container; `fullscreen`: the whole page. */
  mode?: ChatMode;
  theme?: ThemeMode;
  themeVars?: Record<string, string>;
  position?: 'right' | 'left';
  /** Built-in strings to use: `en` (default), `de`, `fr`; `dir` follows it for RTL languages. */
  locale?: string;
  strings?: Partial<ChatStrings>;
  dir?: 'ltr' | 'rtl' | 'auto';
  /** The greeting in an empty conversation; `false` hides it. */
  welcome?: string | false;
  suggestions?: string[];
  /** Load images from replies (https only). Off by default. */
  allowImages?: boolean;
  /** Whether the bubble's panel starts open (bubble mode). */
  open?: boolean;
  disableWhileBusy?: boolean;
  /** Longest message a visitor may type (characters). */
  maxLength?: number;
  styleNonce?: string;
  onMessageSent?: (detail: MessageSentDetail) => void;
  onReplyReceived?: (detail: ReplyReceivedDetail) => void;
  onTaskFailed?: (detail: TaskFailedDetail) => void;
  onOpen?: () => void;
  onClose?: () => void;
}

/**
 * The chat widget: connects to a server (or uses the given session) and renders the conversation,
 * the live "AI is thinking…" status, errors with retry, and the composer. The only component that
 * talks to the SDK.
 *
 * @example
 * <ChatWidget serverUrl="https://chat.example.com" title="Support" mode="bubble" />
 */
export function ChatWidget(props: ChatWidgetProps) {
  const { mode = 'bubble', theme = 'auto', locale } = props;
  const owned = !props.session;
  const session = useMemo(
    () => props.session ?? connectSession(props),
    [props.session, props.client, props.serverUrl, props.conversationId],
  );
  useEffect(() => (owned ? () => session.destroy() : undefined), [session]);

  const strings = useMemo(() => resolveStrings(locale, props.strings), [locale, props.strings]);
  const [open, setOpen] = useState(props.open ?? false);
  // Follow later changes of the `open` prop only: a late first run would undo an early click.
  const openProp = useRef(props.open);
  useEffect(() => {
    if (openProp.current === props.open) return;
    openProp.current = props.open;
    setOpen(!!props.open);
  }, [props.open]);
  const changeOpen = (next: boolean) => {
    setOpen(next);
    (next ? props.onOpen : props.onClose)?.();
  };

  const messages = useStore(session.$messages);
  const activeTask = useStore(session.$activeTask);
  const connection = useStore(session.$connection);
  const hasOlder = useStore(session.$hasOlder);
  const task = useTaskView(activeTask);
  useLifecycleEvents(messages, activeTask, props);

  const send = (text: string) => {
    const result = session.send(text);
    props.onMessageSent?.({ text });
    return result;
  };

  return (
    <Frame
      mode={mode}
      theme={theme}
      themeVars={props.themeVars}
      position={props.position}
      dir={props.dir ?? (isRtlLocale(locale) ? 'rtl' : undefined)}
      lang={locale}
      strings={strings}
      open={open}
      onOpenChange={changeOpen}
      styleNonce={props.styleNonce}
    >
      <ChatShell
        strings={strings}
        mode={mode}
        title={props.title}
        subtitle={props.subtitle}
        avatarUrl={props.avatarUrl}
        messages={messages}
        task={task}
        connection={connection}
        welcome={props.welcome}
        suggestions={props.suggestions}
        allowImages={props.allowImages}
        disableWhileBusy={props.disableWhileBusy}
        maxLength={props.maxLength}
        onSend={send}
        onStop={() => void session.stop()}
        onRetry={() => void session.retry()}
        onClose={mode === 'bubble' ? () => changeOpen(false) : undefined}
        onLoadOlder={hasOlder ? () => void session.loadOlder() : undefined}
      />
    </Frame>
  );
}

/** The active task as the indicator shows it, with the local time it was first seen as running. */
function useTaskView(task: TaskState | null): TaskView | null {
  const seen = useRef<{ id: string; at: number } | null>(null);
  if (!task) return null;
  if (seen.current?.id !== task.id) seen.current = { id: task.id, at: Date.now() };
  const status = task.loaded === false ? 'pending' : task.status;
  return {
    id: task.id,
    status,
    statusMessage: task.statusMessage,
    error: task.error,
    cancelRequested: task.cancelRequested,
    startedAt: seen.current.at,
  };
}

/** Calls `onReplyReceived` / `onTaskFailed` for replies this page watched being made (a reply counts once final, not while it streams). */
function useLifecycleEvents(messages: readonly ChatItem[], task: TaskState | null, props: ChatWidgetProps) {
  const watched = useRef(new Set<string>());
  const failed = useRef<string | null>(null);
  useEffect(() => {
    if (!task) return;
    if (isActive(task.status)) watched.current.add(task.id);
    const key = `${task.id}:${task.attempt}`;
    if (task.status === 'failed' && failed.current !== key) {
      failed.current = key;
      props.onTaskFailed?.({ task });
    }
  }, [task]);
  useEffect(() => {
    for (const m of messages) {
      if (m.role === 'assistant' && m.status === 'final' && m.taskId && watched.current.delete(m.taskId))
        props.onReplyReceived?.({ message: m });
    }
  }, [messages]);
}
