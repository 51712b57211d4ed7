import { createHttpTransport, createTaskClient } from '@app/async-tasks';

/**
 * One task client for the whole app. The page's own origin is the server: Vite forwards `/api`
 * to the reference server in dev and preview (see vite.config.ts). In production, put the chat
 * server behind the same origin or pass its URL here (and list this site in its CORS_ORIGINS).
 */
export const client = createTaskClient({ transport: createHttpTransport({ baseUrl: location.origin }) });
