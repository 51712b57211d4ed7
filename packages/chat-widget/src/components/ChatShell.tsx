import { type ConnectionState, isActive } from '@app/async-tasks';
import type { ConversationSummary } from '@app/async-tasks/contract';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ChatStrings } from '../i18n/strings.js';
import type { ChatMode, MessageView, TaskView } from '../types.js';
import { ListIcon } from './action-icons.js';
import { Composer, type ComposerProps } from './Composer.js';
import { ConversationList } from './ConversationList.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { describeError } from './describe-error.js';
import { ErrorNotice } from './ErrorNotice.js';
import type { Rating } from './FeedbackButtons.js';
import { MessageList } from './MessageList.js';
import { Panel } from './Panel.js';
import { ThinkingIndicator } from './ThinkingIndicator.js';
import { Welcome } from './Welcome.js';
import { withPendingReply } from './with-pending-reply.js';

export interface ChatShellProps {
  strings: ChatStrings;
  mode: ChatMode;
  title?: string;
  subtitle?: string;
  avatarUrl?: string;
  messages: readonly MessageView[];
  task: TaskView | null;
  connection: ConnectionState;
  welcome?: string | false;
  suggestions?: string[];
  allowImages?: boolean;
  /** Disable sending while a reply is being made. */
  disableWhileBusy?: boolean;
  maxLength?: number;
  /** The composer's draft key (kept across reloads) and whether a draft carries over to a new key. */
  draftKey?: string;
  draftCarries?: boolean;
  onSend: (text: string) => unknown;
  /** Attachments in the composer (the site turned them on); see `Composer`. */
  attach?: ComposerProps['attach'];
  onStop?: () => void;
  onRetry?: () => void;
  /** Reconnects the live updates now (Retry next to "can't reach the chat server"). */
  onReconnect?: () => void;
  onClose?: () => void;
  onLoadOlder?: () => void;
  now?: () => number;
  /** The locale of message times (the browser's when absent). */
  locale?: string;
  /** The conversation switcher in the header; without it there is none. */
  conversations?: ConversationsView;
  onRate?: (messageId: string, rating: Rating, comment?: string) => Promise<boolean>;
  onRegenerate?: () => void;
  onEdit?: (text: string) => Promise<boolean>;
  /** A fixed clock for message times (stories, tests). */
  clock?: number;
  children?: ComponentChildren;
}

/** The visitor's conversations, for the switcher. */
export interface ConversationsView {
  list: readonly ConversationSummary[];
  currentId: string | null;
  loading?: boolean;
  /** The switcher was opened: (re)load the list. */
  onShow: () => void;
  /** Open a conversation; `null`: a new one. */
  onPick: (id: string | null) => void;
  onDelete: (id: string) => Promise<boolean>;
  onLoadMore?: () => void;
}

/**
 * The whole chat panel from plain props: header, connection banner, conversation with welcome,
 * the reply being made (status, then its words as they stream) or error, and composer with Stop.
 * `ChatWidget` feeds it from the SDK; stories feed it directly.
 *
 * @example
 * <ChatShell strings={en} mode="inline" messages={[]} task={null} connection="live" onSend={send} />
 */
export function ChatShell(p: ChatShellProps) {
  const { strings: s, task } = p;
  const busy = !!task && isActive(task.status);
  const empty = p.messages.length === 0;
  // The visitor's message is on its way and the server has not answered the send yet (no task):
  // the reply's place and "thinking" show in the same frame as the message, and the task's own
  // status takes their place once it arrives.
  const last = p.messages.at(-1);
  const awaiting = !busy && last?.role === 'user' && last.delivery === 'sending';
  const [listing, setListing] = useState(false);
  const [back, setBack] = useState(false);
  const convs = p.conversations;
  const showList = !!convs && listing;
  const leaveList = () => {
    setListing(false);
    setBack(true);
  };
  return (
    <Panel
      title={p.title ?? s.title}
      subtitle={p.subtitle}
      avatarUrl={p.avatarUrl}
      mode={p.mode}
      closeLabel={s.closeChat}
      onClose={p.onClose}
      actions={
        convs && (
          <button
            type="button"
            class="acw-icon"
            aria-label={s.conversations}
            title={s.conversations}
            aria-expanded={showList}
            onClick={() => {
              if (showList) return leaveList();
              setListing(true);
              convs.onShow();
            }}
          >
            <ListIcon />
          </button>
        )
      }
    >
      <ConnectionBanner
        connection={p.connection}
        reconnectingLabel={s.reconnecting}
        offlineLabel={s.offline}
        unreachableLabel={s.unreachable}
        retryLabel={s.retry}
        onReconnect={p.onReconnect}
      />
      {showList ? (
        // biome-ignore lint/a11y/noStaticElementInteractions: Escape leaves the list for the conversation, before the dialog's own Escape.
        <div
          class="acw-view"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              leaveList();
            }
          }}
        >
          <ConversationList
            conversations={convs.list}
            currentId={convs.currentId}
            loading={convs.loading}
            strings={s}
            locale={p.locale}
            now={p.clock ?? Date.now()}
            onPick={(id) => {
              convs.onPick(id);
              leaveList();
            }}
            onDelete={convs.onDelete}
            onLoadMore={convs.onLoadMore}
          />
        </div>
      ) : (
        <>
          <MessageList
            messages={busy ? withPendingReply(p.messages, task.id) : awaiting ? withPendingReply(p.messages) : p.messages}
            strings={s}
            allowImages={p.allowImages}
            onLoadOlder={p.onLoadOlder}
            onRetry={p.onRetry}
            locale={p.locale}
            now={p.clock}
            onRate={p.onRate}
            onRegenerate={p.onRegenerate}
            onEdit={p.onEdit}
            pending={
              busy ? (
                <ThinkingIndicator
                  statusMessage={task.cancelRequested ? s.stopping : task.statusMessage}
                  fallback={s.thinking}
                  startedAt={task.startedAt}
                  elapsedLabel={s.elapsed}
                  now={p.now}
                />
              ) : (
                awaiting && <ThinkingIndicator statusMessage={null} fallback={s.thinking} elapsedLabel={s.elapsed} />
              )
            }
          >
            {empty && p.welcome !== false && (
              <Welcome
                message={p.welcome || s.welcome}
                suggestions={p.suggestions}
                suggestionsLabel={s.suggestions}
                onPick={(q) => void p.onSend(q)}
              />
            )}
            {task?.status === 'failed' && !awaiting && (
              <ErrorNotice message={describeError(task.error, s)} retryLabel={s.retry} onRetry={p.onRetry} />
            )}
          </MessageList>
          <Composer
            label={s.messageLabel}
            placeholder={s.placeholder}
            sendLabel={s.send}
            onSend={p.onSend}
            disabled={p.disableWhileBusy && busy}
            maxLength={p.maxLength}
            draftKey={p.draftKey}
            draftCarries={p.draftCarries}
            autoFocus={back}
            stopLabel={busy ? (task.cancelRequested ? s.stopping : s.stop) : undefined}
            onStop={task?.cancelRequested ? undefined : p.onStop}
            attach={p.attach}
          />
        </>
      )}
      {p.children}
    </Panel>
  );
}
