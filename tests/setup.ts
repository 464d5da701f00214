import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// PBKDF2 cost: vite.config.ts compiles 1,000 rounds into the vitest run (600,000 would take
// minutes); tests/crypto/kdf-cost.test.ts pins the production figure.

// Screens that verify signatures (Web Crypto) before they show: 1 s is too short on a busy 2-core machine.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => cleanup());
