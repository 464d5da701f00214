// Slow PDF checks (npm run test:deep): every script's font embedded, the pages rendered with poppler and read back.
import { defineConfig } from 'vitest/config';
import { pdfFonts } from '../../scripts/pdf-fonts';

export default defineConfig({
  plugins: [pdfFonts()],
  test: {
    allowOnly: false,
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/deep/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
