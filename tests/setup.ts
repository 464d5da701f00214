import 'fake-indexeddb/auto';
import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { setKdfIterationsForTests } from '../src/db/accounts';

// 600,000 PBKDF2 rounds per sign-in would make the suite take minutes; one test pins the production value.
setKdfIterationsForTests(1_000);

afterEach(() => cleanup());
