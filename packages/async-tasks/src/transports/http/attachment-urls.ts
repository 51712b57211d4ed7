import type { Attachment, ChatMessage } from '../../contract/index.js';

// The server names a file's read URL as a path on its own origin; the SDK hands out URLs the
// page can use as they are (an <img src>), so they are made absolute against the API's base URL.

export const resolveAttachment = <A extends Attachment>(baseUrl: string, attachment: A): A =>
  attachment.url.startsWith('/') ? { ...attachment, url: `${baseUrl}${attachment.url}` } : attachment;

export const resolveMessage = (baseUrl: string, message: ChatMessage): ChatMessage =>
  message.attachments ? { ...message, attachments: message.attachments.map((a) => resolveAttachment(baseUrl, a)) } : message;
