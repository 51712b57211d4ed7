/**
 * Every text the widget shows. Values may contain `{name}` placeholders (`elapsed`: `{seconds}`, `image`: `{alt}`), filled in by the widget.
 * Pass a partial object to override single strings; missing keys fall back to the locale, then English.
 *
 * @example
 * <ChatWidget strings={{ title: 'Support', send: 'Go' }} />
 */
export interface ChatStrings {
  title: string;
  openChat: string;
  closeChat: string;
  messageLabel: string;
  placeholder: string;
  send: string;
  stop: string;
  retry: string;
  thinking: string;
  elapsed: string;
  youSaid: string;
  assistantSaid: string;
  sending: string;
  queued: string;
  notSent: string;
  reconnecting: string;
  offline: string;
  errorTimeout: string;
  errorFailed: string;
  errorOffline: string;
  errorGeneric: string;
  /** Under a reply stopped by the visitor (also when it had no text yet). */
  stopped: string;
  /** Under the partial text of a reply a failure cut short. */
  interrupted: string;
  stopping: string;
  welcome: string;
  suggestions: string;
  loadOlder: string;
  image: string;
  /** A code block's copy button, and what it says (politely announced) once the code is copied. */
  copyCode: string;
  copied: string;
  conversation: string;
  /** The button that scrolls back down to the newest message after the visitor scrolled up. */
  jumpToLatest: string;
  /** The panel while the script-tag bundle fetches the rest of the widget (shown only when that takes a moment). */
  loading: string;
  /** The panel when the rest of the widget could not be fetched (offline, missing file); Retry fetches it again. */
  loadFailed: string;
}

/**
 * Built-in English strings; also the fallback for keys a locale or override leaves out.
 *
 * @example
 * <ChatWidget strings={{ ...en, send: 'Ask' }} />
 */
export const en: ChatStrings = {
  title: 'Chat',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  messageLabel: 'Message',
  placeholder: 'Ask a question…',
  send: 'Send',
  stop: 'Stop',
  retry: 'Retry',
  thinking: 'AI is thinking…',
  elapsed: '{seconds} s',
  youSaid: 'You',
  assistantSaid: 'Assistant',
  sending: 'Sending…',
  queued: 'Waiting for connection',
  notSent: 'Not sent',
  reconnecting: 'Reconnecting…',
  offline: "Offline — your messages will be sent when you're back",
  errorTimeout: 'The reply took too long and was stopped.',
  errorFailed: 'The AI service could not answer.',
  errorOffline: 'You are offline, so the reply could not be fetched.',
  errorGeneric: 'Something went wrong while making the reply.',
  stopped: 'Stopped.',
  interrupted: 'Interrupted.',
  stopping: 'Stopping…',
  welcome: 'Hi! How can I help you today?',
  suggestions: 'Suggested questions',
  loadOlder: 'Show earlier messages',
  image: 'Image: {alt}',
  copyCode: 'Copy',
  copied: 'Copied',
  conversation: 'Conversation',
  jumpToLatest: 'Jump to latest',
  loading: 'Loading the chat…',
  loadFailed: 'The chat could not be loaded. Check your connection and try again.',
};
