// @vitest-environment node
import { describe, expect, test } from 'vitest';
import viteConfig, { kdfIterationsFor } from '../../vite.config';

// The PBKDF2 cost is compiled in (src/crypto/secret-keys.ts); the e2e test security.spec.ts
// reads what the real production bundle stores.
const defineFor = (command: 'build' | 'serve', mode: string) => {
  const config = typeof viteConfig === 'function' ? viteConfig({ command, mode }) : viteConfig;
  if (config instanceof Promise) throw new Error('vite.config.ts is expected to be synchronous');
  return config.define ?? {};
};

describe('PBKDF2 cost at build time', () => {
  test('every production build, whatever its mode, uses 600,000 iterations', () => {
    for (const mode of ['production', 'development', 'test']) {
      expect(kdfIterationsFor({ command: 'build', mode })).toBe(600_000);
      expect(JSON.parse(defineFor('build', mode).__KDF_ITERATIONS__ as string)).toBe(600_000);
    }
  });

  test('the dev server uses 600,000; only the vitest run is cheaper', () => {
    expect(JSON.parse(defineFor('serve', 'development').__KDF_ITERATIONS__ as string)).toBe(600_000);
    expect(JSON.parse(defineFor('serve', 'test').__KDF_ITERATIONS__ as string)).toBe(1_000);
  });
});
