import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The reference server (`pnpm start` runs it on :8787). The page talks to its own origin and Vite
// forwards /api and /widget, so no CORS set-up is needed in dev or in `vite preview`.
const server = process.env.CHAT_SERVER_URL ?? 'http://localhost:8787';
const proxy = {
  '/api': { target: server, changeOrigin: true },
  '/widget': { target: server, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  server: { port: 5174, proxy },
  preview: { port: 4174, proxy },
});
