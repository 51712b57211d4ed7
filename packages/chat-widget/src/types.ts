/** A message as the presentational components show it (a subset of the SDK's ChatItem). */
export interface MessageView {
  id: string;
  role: 'user' | 'assistant' | 'system';
  content: string;
  /** Only user messages have a delivery state worth showing. */
  delivery?: 'sending' | 'queued' | 'sent' | 'failed';
}

/** The reply being made, as the indicator and error notice show it. */
export interface TaskView {
  status: 'pending' | 'processing' | 'completed' | 'failed' | 'cancelled';
  statusMessage: string | null;
  error: { code: string; message: string; retryable?: boolean } | null;
  /** A stop was asked for and the worker has not acknowledged it yet. */
  cancelRequested?: boolean;
  /** When the reply was asked for (ms since epoch), for the elapsed time. */
  startedAt?: number;
}

/** Connection state of the live stream. */
export type ConnectionView = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** Light, dark, or follow `prefers-color-scheme`. */
export type ThemeMode = 'light' | 'dark' | 'auto';

/** Where the chat is shown. */
export type ChatMode = 'bubble' | 'inline' | 'fullscreen';
