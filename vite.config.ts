/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';
import type { Plugin } from 'vite';
import { readFileSync } from 'node:fs';
import { PAGE_POLICY } from './server/security-headers';
import { pdfFonts } from './scripts/pdf-fonts';

const APP_VERSION: string = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;

// Nothing is fetched from, or sent to, another origin; no inline or eval'd script or
// style (React sets style props through the DOM, which CSP allows). Production build
// only: the dev server injects inline scripts. (frame-ancestors needs a header: docs/deploy.md.)
export const CONTENT_SECURITY_POLICY = PAGE_POLICY;

const contentSecurityPolicy = (): Plugin => ({
  name: 'printpath-csp',
  apply: 'build',
  transformIndexHtml: (html) => html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`),
});

// PBKDF2 cost of a new secret and the least a stored one may claim (src/crypto/secret-keys.ts).
// Compiled in, never settable at run time: every `vite build` (whatever its mode) and the dev
// server get 600,000; only the vitest run gets 1,000, or the suite would take minutes.
export const kdfIterationsFor = ({ command, mode }: { command: string; mode: string }): number =>
  command === 'serve' && mode === 'test' ? 1_000 : 600_000;

export default defineConfig(({ command, mode }) => ({
  plugins: [
    react(),
    contentSecurityPolicy(),
    pdfFonts(),
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'Printpath — 3D lab workflow',
        short_name: 'Printpath',
        description: 'Offline-first case tracker for hospital point-of-care 3D printing labs',
        theme_color: '#0f4c5c',
        background_color: '#f6f8f9',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,png,ttf,woff2}'],
        // The PDF's fonts for other scripts (scripts/pdf-fonts.ts) are not precached: most labs never need one, and a
        // CJK font is 5–10 MB. The first case that needs one fetches it; from then on it is there offline too.
        globIgnores: ['fonts/**'],
        runtimeCaching: [{ urlPattern: /\/fonts\/NotoSans\w+-Regular\.\w+\.ttf$/, handler: 'CacheFirst', options: { cacheName: 'pdf-fonts', cacheableResponse: { statuses: [200] } } }],
        maximumFileSizeToCacheInBytes: 2 * 1024 * 1024,
        navigateFallback: '/index.html',
        // The lab server's API is never answered from the cache.
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  define: { __APP_VERSION__: JSON.stringify(APP_VERSION), __KDF_ITERATIONS__: JSON.stringify(kdfIterationsFor({ command, mode })) },
  build: { target: 'es2022', sourcemap: false },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  test: {
    environment: 'jsdom',
    include: ['tests/{domain,db,features,crypto}/**/*.test.{ts,tsx}'],
    setupFiles: ['tests/setup.ts'],
    restoreMocks: true,
    allowOnly: false,
    // Component tests that type into long forms need more than 5 s on a loaded 2-core machine.
    testTimeout: 20_000,
  },
}));
