import { type ChatItem, type ChatSession, isActive, type TaskState } from '@app/async-tasks';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ChatShell } from '../components/ChatShell.js';
import { saveDraft } from '../components/draft-storage.js';
import type { TaskView } from '../types.js';
import type { ChatWidgetProps } from './chat-widget-props.js';
import type { EarlyInput } from './early-input.js';
import { connectSession } from './connect-session.js';
import { useUnreadCues } from './unread-cues.js';
import { useStore } from './use-store.js';
import { useAttachments } from '../components/attachments/use-attachments.js';
import type { ChatStrings } from '../i18n/strings.js';
import type { BodyProps } from './WidgetRoot.js';

/**
 * The conversation: the session (made here unless one is given), its stores, the lifecycle
 * callbacks, and the `ChatShell` while the panel is shown. The only component that talks to the SDK.
 *
 * @example
 * <WidgetRoot {...props} body={ChatBody} />
 */
export function ChatBody({ options: props, strings, mode, shown, onClose, storagePrefix, onUnread, earlyInput }: BodyProps) {
  const owned = !props.session;
  // A new session only when where it connects changes, not on every other prop.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the connection options are the dependencies.
  const session = useMemo(
    () => props.session ?? connectSession(props),
    [props.session, props.client, props.serverUrl, props.conversationId, props.storageKey],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: a session is owned or not for its whole life.
  useEffect(() => (owned ? () => session.destroy() : undefined), [session]);

  const messages = useStore(session.$messages);
  const activeTask = useStore(session.$activeTask);
  const connection = useStore(session.$connection);
  const hasOlder = useStore(session.$hasOlder);
  const conversationId = useStore(session.$conversationId);
  const task = useTaskView(activeTask);
  const draftKey = `${storagePrefix}:draft:${conversationId ?? ''}`;
  useEarlyInput(earlyInput, draftKey, (text) => {
    void session.send(text);
    props.onMessageSent?.({ text });
  });
  // Replies that arrive while the bubble is closed: the launcher's badge and the optional cues.
  const [unread, setUnread] = useState(0);
  const open = useRef(shown);
  open.current = shown;
  useEffect(() => {
    if (shown) setUnread(0);
  }, [shown]);
  useEffect(() => onUnread?.(unread), [unread, onUnread]);
  useUnreadCues(unread, { sound: props.unreadSound, title: props.unreadTitle });
  useLifecycleEvents(messages, activeTask, props, () => {
    if (!open.current) setUnread((n) => n + 1);
  });
  // The site's metadata goes with every later message; a change applies from the next one. By
  // value: a component given a new object literal on every render sets it once.
  const metadata = props.metadata === undefined ? undefined : JSON.stringify(props.metadata);
  // biome-ignore lint/correctness/useExhaustiveDependencies: compared by its JSON text.
  useEffect(() => {
    if (props.metadata !== undefined) void session.setMetadata(props.metadata);
  }, [session, metadata]);
  const conversations = useStore(session.$conversations);
  const listLoading = useStore(session.$conversationsLoading);
  const moreConversations = useStore(session.$hasMoreConversations);

  const attach = useComposerAttachments(session, props, strings);

  if (!shown) return null;
  const send = (text: string) => {
    const files = attach?.attachments.ready;
    const result = session.send(text, files?.length ? { attachments: files } : {});
    attach?.attachments.clear();
    props.onMessageSent?.({ text });
    return result;
  };
  return (
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
      locale={props.locale}
      draftKey={draftKey}
      draftCarries={!conversationId}
      onSend={send}
      attach={attach}
      onStop={() => void session.stop()}
      onRetry={() => void session.retry()}
      onReconnect={() => void session.reconnect()}
      onClose={onClose}
      onLoadOlder={hasOlder ? () => void session.loadOlder() : undefined}
      onRate={(id, rating, comment) => session.sendFeedback(id, comment === undefined ? { rating } : { rating, comment: comment || null })}
      onRegenerate={() => void session.regenerate()}
      onEdit={(text) => session.edit(text)}
      conversations={
        props.conversations === false
          ? undefined
          : {
              list: conversations,
              currentId: conversationId,
              loading: listLoading,
              onShow: () => void session.loadConversations(),
              onPick: (id) => void (id === null ? session.newConversation() : session.switchConversation(id)),
              onDelete: (id) => session.deleteConversation(id),
              onLoadMore: moreConversations ? () => void session.loadMoreConversations() : undefined,
            }
      }
    />
  );
}

/**
 * Takes over what the visitor typed before this code was here (script-tag bundle): a message sent
 * then is sent now, before the first paint; unsent text becomes the composer's draft (saved before
 * the composer first reads it).
 */
function useEarlyInput(early: EarlyInput | undefined, draftKey: string, send: (text: string) => void) {
  useState(() => {
    if (early && !early.sent && early.text) saveDraft(draftKey, early.text);
  });
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, when the panel takes over.
  useLayoutEffect(() => {
    if (early?.sent && early.text.trim()) send(early.text);
  }, []);
}

/** The types a widget accepts unless told otherwise: what the server accepts by default. */
const DEFAULT_TYPES = 'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain';

/**
 * The composer's attachments when the site turned them on: what the server accepts (its types,
 * unless the site narrowed them, and its files per message), read once.
 */
function useComposerAttachments(session: ChatSession, props: ChatWidgetProps, strings: ChatStrings) {
  const [server, setServer] = useState<{ types: string; maxFiles: number } | null>(null);
  const on = props.attachments === true;
  useEffect(() => {
    if (!on) return;
    let live = true;
    session.uploadSettings().then(
      (s) => live && s && setServer({ types: s.allowedTypes.join(','), maxFiles: s.maxFilesPerMessage }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [session, on]);
  const accept = props.attachmentTypes ?? server?.types ?? DEFAULT_TYPES;
  const attachments = useAttachments({
    upload: (file, options) => session.upload(file, options),
    accept,
    maxFiles: server?.maxFiles ?? 4,
    notAccepted: strings.fileNotAccepted,
    tooMany: strings.tooManyFiles,
  });
  return on ? { attachments, accept, labels: strings } : undefined;
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

/**
 * Calls `onReplyReceived` / `onTaskFailed` for replies this page watched being made (a reply
 * counts once final, not while it streams), and `arrived` for each such reply.
 */
function useLifecycleEvents(messages: readonly ChatItem[], task: TaskState | null, props: ChatWidgetProps, arrived: () => void) {
  const watched = useRef(new Set<string>());
  const failed = useRef<string | null>(null);
  // Each runs once per change of what it watches; the callbacks are read as they are then.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the task is what is watched.
  useEffect(() => {
    if (!task) return;
    if (isActive(task.status)) watched.current.add(task.id);
    const key = `${task.id}:${task.attempt}`;
    if (task.status === 'failed' && failed.current !== key) {
      failed.current = key;
      props.onTaskFailed?.({ task });
    }
  }, [task]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the messages are what is watched.
  useEffect(() => {
    for (const m of messages) {
      if (m.role === 'assistant' && m.status === 'final' && m.taskId && watched.current.delete(m.taskId)) {
        props.onReplyReceived?.({ message: m });
        arrived();
      }
    }
  }, [messages]);
}
