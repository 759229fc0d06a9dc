import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The dashboard imports bands, categories, colours and API types from `@threshold/core`'s
 * TypeScript sources (pure, no node imports), so there is one definition of each. In development
 * (`vite dashboard`) the API is proxied to a collector on 127.0.0.1:4318, or THRESHOLD_API.
 */
export default defineConfig({
  root: here('.'),
  plugins: [react()],
  resolve: {
    alias: { '@threshold/core': here('../packages/core/src/index.ts') },
  },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': { target: process.env.THRESHOLD_API ?? 'http://127.0.0.1:4318', changeOrigin: false },
    },
  },
});
