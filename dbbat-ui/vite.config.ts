import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Production build: relative asset URLs ("./assets/x-HASH.js"). index.html carries
// <base href="/app/">, which the server rewrites to DBB_BASE_URL + "/" when it serves
// index.html, so the same bundle works under any mount path and on deep links.
// Dev server (`npm run dev`): served under /app/ with /api proxied to DBBAT_URL.
export default defineConfig(({ command }) => ({
  base: command === 'build' ? './' : '/app/',
  plugins: [react()],
  build: {
    outDir: 'target/classes/META-INF/dbbat-ui',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    proxy: { '/api': process.env.DBBAT_URL ?? 'http://127.0.0.1:4200' },
  },
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
  },
}));
