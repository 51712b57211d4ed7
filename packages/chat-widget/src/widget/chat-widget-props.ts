import type { ChatSession } from '@app/async-tasks';
import type { ChatMetadata } from '@app/async-tasks/contract';
import type { ChatStrings } from '../i18n/strings.js';
import type { ChatMode, ThemeMode } from '../types.js';
import type { ConnectOptions } from './connect-session.js';
import type { MessageSentDetail, ReplyReceivedDetail, TaskFailedDetail } from './events.js';

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
  /**
   * Bubble mode: the panel is open again after a reload when it was open before (per tab, in
   * `sessionStorage`). On by default; `false` always starts closed (unless `open`).
   */
  rememberOpen?: boolean;
  /**
   * `theme="auto"`: a CSS selector that, when it matches the page's `<html>` or `<body>`, means
   * the page is dark (`.dark`, `[data-theme="dark"]`); without it the widget follows the page's
   * `color-scheme`, then its background.
   */
  darkSelector?: string;
  /**
   * The conversation switcher in the panel's header (the visitor's conversations, a new one,
   * deleting one). On by default; `false` keeps the widget to one conversation.
   */
  conversations?: boolean;
  /**
   * What the workflow is handed with every message the visitor sends (page, locale, your own
   * user id, plan, cart): a plain JSON object, at most 4 KB. The visitor can read it (it is stored
   * with their message), so never put secrets in it; the server never takes it for an identity.
   */
  metadata?: ChatMetadata | null;
  /**
   * Lets the visitor attach files (button, paste, drag and drop): images, PDFs and text by
   * default, as the server allows. Off by default.
   */
  attachments?: boolean;
  /** The types a visitor may attach, as an `<input accept>` lists them (`image/*,application/pdf`); default: what the server accepts. */
  attachmentTypes?: string;
  /** Plays a short tone when a reply arrives while the bubble is closed. Off by default. */
  unreadSound?: boolean;
  /** Puts the unread count before the page title (`(2) Shop`) while the bubble is closed. Off by default. */
  unreadTitle?: boolean;
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
