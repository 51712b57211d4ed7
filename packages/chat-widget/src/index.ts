// The Preact component's public API. The presentational parts, the markdown renderer and the
// stylesheet are internals: they change with the widget's look, and hosts that want their own UI
// build it on the SDK's headless session instead (`createChatSession`, `useAsyncChat`).
import { enableBuiltInHighlighter } from './markdown/highlight/enable.js';

export { ChatWidget, type ChatWidgetProps } from './widget/ChatWidget.js';
export { connectSession, type ConnectOptions } from './widget/connect-session.js';
export type { MessageSentDetail, ReplyReceivedDetail, TaskFailedDetail } from './widget/events.js';
export type { ChatMode, ThemeMode } from './types.js';
export { en, type ChatStrings } from './i18n/strings.js';
export { de } from './i18n/de.js';
export { fr } from './i18n/fr.js';
export { locales } from './i18n/resolve-strings.js';

// Code blocks in replies load the built-in highlighter, a chunk of its own, when one shows.
enableBuiltInHighlighter();
