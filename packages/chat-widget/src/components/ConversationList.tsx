import type { ConversationSummary } from '@app/async-tasks/contract';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatStrings } from '../i18n/strings.js';
import { PlusIcon, TrashIcon } from './action-icons.js';
import { Timestamp } from './Timestamp.js';

export interface ConversationListProps {
  conversations: readonly ConversationSummary[];
  /** The open conversation (marked `aria-current`). */
  currentId: string | null;
  strings: Pick<
    ChatStrings,
    | 'conversations'
    | 'newConversation'
    | 'untitled'
    | 'deleteConversation'
    | 'confirmDelete'
    | 'delete'
    | 'cancel'
    | 'justNow'
    | 'moreConversations'
  >;
  locale?: string;
  now: number;
  loading?: boolean;
  onPick: (id: string | null) => void;
  onDelete: (id: string) => Promise<boolean>;
  /** Shown as "Show earlier" at the end when there are more. */
  onLoadMore?: () => void;
}

/**
 * The visitor's conversations, in the panel in place of the conversation: "New conversation" at
 * the top, then each one (its title, or its last message, and when it was last active) to open,
 * with a delete button that asks first. Focus starts on "New conversation".
 *
 * @example
 * <ConversationList conversations={list} currentId={id} strings={en} now={Date.now()} onPick={open} onDelete={remove} />
 */
export function ConversationList({
  conversations,
  currentId,
  strings: s,
  locale,
  now,
  loading,
  onPick,
  onDelete,
  onLoadMore,
}: ConversationListProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  const first = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => first.current?.focus(), []);
  return (
    <nav class="acw-convs" aria-label={s.conversations} aria-busy={loading || undefined}>
      <button ref={first} type="button" class="acw-btn acw-new" onClick={() => onPick(null)}>
        <PlusIcon />
        {s.newConversation}
      </button>
      <ul>
        {conversations.map((c) => {
          const label = c.title || c.lastMessage?.content || s.untitled;
          return (
            <li key={c.id}>
              {confirming === c.id ? (
                <ConfirmDelete
                  strings={s}
                  onDelete={async () => {
                    if (await onDelete(c.id)) setConfirming(null);
                  }}
                  onCancel={() => setConfirming(null)}
                />
              ) : (
                <>
                  <button type="button" class="acw-conv" aria-current={c.id === currentId || undefined} onClick={() => onPick(c.id)}>
                    <span class="acw-conv-title">{label}</span>
                    <Timestamp at={c.lastActivityAt} now={now} locale={locale} justNow={s.justNow} />
                  </button>
                  <button
                    type="button"
                    class="acw-act"
                    aria-label={`${s.deleteConversation}: ${label}`}
                    title={s.deleteConversation}
                    onClick={() => setConfirming(c.id)}
                  >
                    <TrashIcon />
                  </button>
                </>
              )}
            </li>
          );
        })}
      </ul>
      {onLoadMore && (
        <button type="button" class="acw-btn" onClick={onLoadMore}>
          {s.moreConversations}
        </button>
      )}
    </nav>
  );
}

/** The question before a conversation is deleted for good; focus starts on Cancel, the safe choice. */
function ConfirmDelete({
  strings: s,
  onDelete,
  onCancel,
}: {
  strings: ConversationListProps['strings'];
  onDelete: () => void;
  onCancel: () => void;
}) {
  const cancel = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => cancel.current?.focus(), []);
  return (
    <fieldset class="acw-confirm">
      <legend class="acw-sr">{s.deleteConversation}</legend>
      <p>{s.confirmDelete}</p>
      <button type="button" class="acw-btn acw-danger" onClick={onDelete}>
        {s.delete}
      </button>
      <button type="button" class="acw-btn" ref={cancel} onClick={onCancel}>
        {s.cancel}
      </button>
    </fieldset>
  );
}
