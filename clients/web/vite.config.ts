/**
 * The console's build (`npm run build:web`): clients/web -> clients/web/dist, which the hub serves
 * at `/` (src/http/console.ts). No React plugin: the console needs no Fast Refresh, and Vite's own
 * Oxc transform compiles TSX with React's automatic runtime.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Every chunk's size, compressed, is measured by bench/console.ts instead.
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
  },
});
