import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The relay serves dist/ at `/`; `npm run dev` proxies the API to a relay on :8787.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Under the relay's CSP (script-src 'self') nothing may be inlined into index.html.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { '/api': 'http://localhost:8787' },
  },
});
