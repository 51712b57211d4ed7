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
  /** Online, but the chat server has not answered for a while (down, or refusing this site); shown with Retry. */
  unreachable: string;
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
  /** A reply's copy buttons: its text as shown, and its Markdown source (`copied` confirms either). */
  copyText: string;
  copyMarkdown: string;
  /** A message's time when it is less than a minute old (older ones use the browser's relative time in the locale). */
  justNow: string;
  /** What the launcher says while replies that arrived with the panel closed are unread (`{count}`). */
  unreadOne: string;
  unreadMany: string;
  /** The conversation switcher: its button and list, the action that starts a new one, a conversation without a title yet. */
  conversations: string;
  newConversation: string;
  moreConversations: string;
  untitled: string;
  /** Deleting a conversation: the button, and the question before it is gone for good. */
  deleteConversation: string;
  confirmDelete: string;
  delete: string;
  cancel: string;
  /** Attachments: the attach button, the files waiting to be sent, one being uploaded (`{name}`), removing one, a thumbnail in the thread that opens the file, dropping files on the composer. */
  attach: string;
  attachments: string;
  uploading: string;
  removeFile: string;
  openFile: string;
  dropFiles: string;
  /** A file the site does not accept here (its type), and the most files one message takes (`{count}`). */
  fileNotAccepted: string;
  tooManyFiles: string;
  /** Rating a reply, the optional comment after a thumbs down, and the thanks after it was sent. */
  goodReply: string;
  badReply: string;
  feedbackComment: string;
  sendFeedback: string;
  feedbackThanks: string;
  /** Asks for a new reply in place of the last one. */
  regenerate: string;
  /** Edits the visitor's last message (the box's label) and sends it again, replacing the reply after it. */
  edit: string;
  editLabel: string;
  resend: string;
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
  unreachable: "Can't reach the chat server.",
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
  copyText: 'Copy',
  copyMarkdown: 'Copy Markdown',
  justNow: 'just now',
  unreadOne: '1 new reply',
  unreadMany: '{count} new replies',
  conversations: 'Conversations',
  newConversation: 'New conversation',
  moreConversations: 'Show older conversations',
  untitled: 'Untitled conversation',
  deleteConversation: 'Delete conversation',
  confirmDelete: 'Delete this conversation and all its messages? This cannot be undone.',
  delete: 'Delete',
  cancel: 'Cancel',
  attach: 'Attach files',
  attachments: 'Attachments',
  uploading: 'Uploading {name}',
  removeFile: 'Remove {name}',
  openFile: 'Open {name}',
  dropFiles: 'Drop files to attach them',
  fileNotAccepted: 'This type of file cannot be sent here.',
  tooManyFiles: 'At most {count} files per message.',
  goodReply: 'Good reply',
  badReply: 'Bad reply',
  feedbackComment: 'What was wrong? (optional)',
  sendFeedback: 'Send feedback',
  feedbackThanks: 'Thanks for your feedback.',
  regenerate: 'Regenerate',
  edit: 'Edit',
  editLabel: 'Edit your message',
  resend: 'Send again',
};
