import type { FeedbackInput } from '../../contract/index.js';
import { asError } from '../../common/as-error.js';
import type { Transport } from '../../transports/transport.js';
import type { ChatStore } from '../chat-store.js';
import type { ChatSessionCommands } from '../session-shape.js';

/** How many conversations a list page reads. */
const LIST_PAGE = 20;

type Commands = Pick<
  ChatSessionCommands,
  | 'sendFeedback'
  | 'loadConversations'
  | 'loadMoreConversations'
  | 'switchConversation'
  | 'newConversation'
  | 'createConversation'
  | 'renameConversation'
  | 'deleteConversation'
>;

/**
 * The commands about conversations as a whole and about single messages: the list and its
 * changes, switching, feedback. Each resolves (true when the server accepted it where that
 * applies); failures land in `problem`.
 */
export function conversationCommands(store: ChatStore, transport: Transport): Commands {
  const { get, dispatch } = store;
  const attempt =
    <A extends unknown[]>(work: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<boolean> => {
      try {
        await work(...args);
        return true;
      } catch (error) {
        dispatch({ type: 'problem-reported', error: asError(error) });
        return false;
      }
    };
  const loadList = async (more: boolean) => {
    const { conversations } = get();
    if (conversations.loading || (more && conversations.nextCursor === null)) return;
    dispatch({ type: 'conversations-requested' });
    try {
      const list = await transport.listConversations({ cursor: more ? conversations.nextCursor : null, limit: LIST_PAGE });
      dispatch({ type: 'conversations-loaded', list, more });
    } catch (error) {
      dispatch({ type: 'conversations-failed', error: asError(error) });
    }
  };

  return {
    sendFeedback: attempt(async (messageId: string, input: FeedbackInput) => {
      const conversationId = get().conversationId;
      if (!conversationId) return;
      const feedback = await transport.sendFeedback(messageId, input);
      dispatch({ type: 'feedback-saved', conversationId, feedback });
    }),
    loadConversations: () => loadList(false),
    loadMoreConversations: () => loadList(true),
    switchConversation: async (id) => dispatch({ type: 'conversation-switched', to: id }),
    newConversation: async () => dispatch({ type: 'conversation-switched', to: null }),
    createConversation: attempt(async (title?: string | null) => {
      const conversation = await transport.createConversation({ title: title ?? null });
      dispatch({ type: 'conversation-saved', conversation });
      dispatch({ type: 'conversation-switched', to: conversation.id });
    }),
    renameConversation: attempt(async (id: string, title: string | null) => {
      const trimmed = title?.trim() || null;
      dispatch({ type: 'conversation-saved', conversation: await transport.renameConversation(id, { title: trimmed }) });
    }),
    deleteConversation: attempt(async (id: string) => {
      await transport.deleteConversation(id);
      dispatch({ type: 'conversation-deleted', id });
    }),
  };
}
