import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The reference server (`pnpm start` runs it on :8787). The page talks to its own origin and Vite
// forwards /api and /widget, so no CORS set-up is needed in dev or in `vite preview`.
const server = process.env.CHAT_SERVER_URL ?? 'http://localhost:8787';
const proxy = {
  '/api': { target: server, changeOrigin: true },
  '/widget': { target: server, changeOrigin: true },
};

export default defineConfig({
  plugins: [
    vue({
      // <async-chat> is a custom element, not a Vue component.
      template: { compilerOptions: { isCustomElement: (tag) => tag === 'async-chat' } },
    }),
  ],
  server: { port: 5175, proxy },
  preview: { port: 4175, proxy },
});
