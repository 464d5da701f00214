// Builds the lab server (server/main.ts, with the src/domain modules it imports) into one
// ES module for Node 20: dist-server/main.js. Packages stay in node_modules (SSR build
// externalizes them); migrations are read from server/migrations at run time.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    ssr: 'server/main.ts',
    outDir: 'dist-server',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    minify: false,
    rollupOptions: { output: { entryFileNames: 'main.js', format: 'es' } },
  },
});
