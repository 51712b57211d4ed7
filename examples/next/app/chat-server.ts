import { connection } from 'next/server';

/**
 * The chat server's URL, read when the page is requested (not when it is built), so one build
 * serves any server: `CHAT_SERVER_URL=https://chat.example.com next start`. The browser talks to
 * it directly; the server lists this site in its CORS_ORIGINS.
 */
export async function chatServerUrl(): Promise<string> {
  await connection();
  return process.env.CHAT_SERVER_URL ?? 'http://localhost:8787';
}
